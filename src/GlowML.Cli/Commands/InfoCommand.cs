using GlowML.Experiments;
using GlowML.Model;
using GlowML.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow info</c>: the config and every checkpoint and release with its bits/dim.</summary>
public sealed class InfoCommand : Command<GlobalSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, GlobalSettings settings, CancellationToken cancellationToken)
    {
        var experiment = settings.OpenExperiment();
        Console.WriteLine($"experiment: {experiment.Name} ({experiment.Directory})");
        Console.WriteLine("config:");
        Console.WriteLine(experiment.Config.Text);
        var table = new Table().AddColumns("kind", "epoch", "train bits/dim", "validation bits/dim", "file");
        foreach (int epoch in experiment.CheckpointEpochs())
        {
            var path = experiment.CheckpointPath(epoch);
            try
            {
                var record = CheckpointFile.Load(path).State.History.LastOrDefault(r => r.Epoch == epoch);
                table.AddRow("checkpoint", epoch.ToString(), F(record?.TrainBitsPerDim), F(record?.ValidationBitsPerDim),
                    Markup.Escape(path));
            }
            catch (InvalidDataException e)
            {
                table.AddRow("checkpoint", epoch.ToString(), "-", "-", Markup.Escape($"{path} (unreadable: {e.Message})"));
            }
        }

        foreach (int epoch in experiment.ReleaseEpochs())
        {
            var path = experiment.ReleasePath(epoch);
            var info = GlowModelFile.ReadInfo(path);
            table.AddRow("release", epoch.ToString(), F(Number(info.Metadata, "train_bpd")),
                F(Number(info.Metadata, "validation_bpd")), Markup.Escape(path));
        }

        if (table.Rows.Count == 0)
        {
            Console.WriteLine("no checkpoints yet: run 'glow train'.");
        }
        else
        {
            AnsiConsole.Write(table);
        }

        return 0;
    }

    // Releases keep bits/dim as round-trip text ("R"); shown like the checkpoints' figures.
    private static double? Number(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && double.TryParse(text, System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out double value) ? value : null;

    private static string F(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
