using System.ComponentModel;
using System.Globalization;
using GlowML.Model;
using GlowML.Onnx;
using GlowML.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow export-onnx</c>: score.onnx and sample.onnx from a release or a checkpoint.</summary>
public sealed class ExportOnnxCommand : Command<ExportOnnxCommand.Settings>
{
    /// <summary>Metadata keys copied into both graphs when the source has them.</summary>
    private static readonly string[] CopiedKeys = ["experiment", "epoch", "validation_bpd", "config"];

    /// <summary>Options of <c>glow export-onnx</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>A release file.</summary>
        [CommandOption("--release <FILE>")]
        [Description("Export this release file.")]
        public string? Release { get; init; }

        /// <summary>The epoch.</summary>
        [CommandOption("--epoch <N>")]
        [Description("Export this checkpoint of --experiment-name instead.")]
        [OptionRange(1)]
        public int? Epoch { get; init; }

        /// <summary>The output folder.</summary>
        [CommandOption("--output <DIR>")]
        [Description("Folder for score.onnx and sample.onnx (created if missing; existing files are replaced).")]
        public string? Output { get; init; }

        /// <inheritdoc />
        protected override ValidationResult ValidateOptions() =>
            (Epoch is null) == (Release is null)
                ? ValidationResult.Error("Give exactly one of --epoch N or --release FILE.")
            : string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("--output DIR is required.")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (model, metadata, source) = settings.Release is string release
            ? FromRelease(release)
            : FromCheckpoint(settings);
        GlowOnnxFiles files;
        using (model)
        {
            files = GlowOnnxExporter.Export(model, settings.Output!, metadata);
        }

        Console.WriteLine($"exported {source} (ONNX opset {GlowOnnxExporter.OpsetVersion}):");
        Console.WriteLine($"  score:  {files.ScorePath} ({Size(files.ScorePath)})");
        Console.WriteLine($"  sample: {files.SamplePath} ({Size(files.SamplePath)})");
        return 0;
    }

    private static (GlowModel, Dictionary<string, string>, string) FromRelease(string path)
    {
        var (model, info) = GlowModelFile.Load(path);
        var metadata = CopiedKeys.Where(info.Metadata.ContainsKey).ToDictionary(k => k, k => info.Metadata[k]);
        return (model, metadata, path);
    }

    private static (GlowModel, Dictionary<string, string>, string) FromCheckpoint(Settings settings)
    {
        var experiment = settings.OpenExperiment();
        int epoch = settings.Epoch!.Value;
        var checkpoint = CheckpointFile.Load(experiment.RequireCheckpoint(epoch));
        var record = checkpoint.State.History.LastOrDefault(r => r.Epoch == epoch);
        var metadata = new Dictionary<string, string>
        {
            ["experiment"] = experiment.Name,
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["config"] = checkpoint.ConfigJson,
        };
        if (record is not null)
        {
            metadata["validation_bpd"] = record.ValidationBitsPerDim.ToString("R", CultureInfo.InvariantCulture);
        }

        return (checkpoint.Model, metadata, checkpoint.Path);
    }

    private static string Size(string path)
    {
        double kib = new FileInfo(path).Length / 1024.0;
        return kib < 1024
            ? kib.ToString("F1", CultureInfo.InvariantCulture) + " KiB"
            : (kib / 1024).ToString("F2", CultureInfo.InvariantCulture) + " MiB";
    }
}
