using System.ComponentModel;
using GlowML.Experiments;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow create-release</c>: a release file with only what inference needs.</summary>
public sealed class CreateReleaseCommand : Command<CreateReleaseCommand.Settings>
{
    /// <summary>Options of <c>glow create-release</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>The epoch.</summary>
        [CommandOption("--epoch <N>")]
        [Description("The checkpoint's epoch (default: the latest).")]
        [OptionRange(1)]
        public int? Epoch { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var experiment = settings.OpenExperiment();
        int epoch = settings.Epoch ?? experiment.LatestEpoch
            ?? throw new InvalidOperationException($"Experiment '{experiment.Name}' has no checkpoint yet.");
        var path = ExperimentRunner.CreateRelease(experiment, epoch);
        Console.WriteLine($"release written: {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:F2} MB)");
        return 0;
    }
}
