using System.ComponentModel;
using GlowML.Experiments;
using GlowML.Training;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow train</c>: trains, resuming from the latest checkpoint or a given epoch.</summary>
public sealed class TrainCommand : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>glow train</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>Resume from this epoch.</summary>
        [CommandOption("--epoch <N>")]
        [Description("Resume from the checkpoint of epoch N instead of the latest; refused while later checkpoints "
            + "exist, unless --overwrite-later.")]
        [OptionRange(1)]
        public int? Epoch { get; init; }

        /// <summary>Replace later epochs.</summary>
        [CommandOption("--overwrite-later")]
        [Description("With --epoch N: delete the checkpoints, releases and results after epoch N and their "
            + "metrics.jsonl rows, then train on from N.")]
        public bool OverwriteLater { get; init; }

        /// <summary>Total epochs.</summary>
        [CommandOption("--max-epochs <N>")]
        [Description("Train until N epochs are done (overrides training.max_epochs).")]
        [OptionRange(1)]
        public int? MaxEpochs { get; init; }

        /// <summary>Progress period.</summary>
        [CommandOption("--log-period <N>")]
        [Description("A progress line every N steps (overrides training.log_period).")]
        [OptionRange(1)]
        public int? LogPeriod { get; init; }

        /// <summary>Batch workers.</summary>
        [CommandOption("--num-workers <N>")]
        [Description("Background threads preparing batches (overrides training.num_workers).")]
        [OptionRange(0)]
        public int? NumWorkers { get; init; }

        /// <summary>Devices.</summary>
        [CommandOption("--device <DEVICE>")]
        [Description(DeviceParser.Syntax + ". Default: cpu")]
        public string[] Device { get; init; } = Array.Empty<string>();

        /// <inheritdoc />
        protected override Spectre.Console.ValidationResult ValidateOptions() => Device.Length > 1
            ? Spectre.Console.ValidationResult.Error(
                $"--device: training uses one device; give it once ({DeviceParser.Syntax}).")
            : Device.Length == 1 && !DeviceParser.IsKnownName(Device[0])
                ? Spectre.Console.ValidationResult.Error(
                    $"--device '{Device[0]}' is not a device: use {DeviceParser.Syntax}.")
            : Spectre.Console.ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var experiment = settings.OpenExperiment();
        var request = new TrainRequest
        {
            Epoch = settings.Epoch,
            OverwriteLater = settings.OverwriteLater,
            MaxEpochs = settings.MaxEpochs,
            LogPeriod = settings.LogPeriod,
            NumWorkers = settings.NumWorkers,
            Device = settings.Device.Length == 1 ? settings.Device[0] : "cpu",
        };
        var reporter = new ConsoleReporter();
        var state = reporter.Run(() =>
            ExperimentRunner.Train(experiment, settings.DataPath, request, reporter, cancellationToken));
        var last = state.History.LastOrDefault();
        Console.WriteLine(last is null ? "no epoch was trained."
            : $"done: {state.Epoch} epochs; last checkpoint {experiment.CheckpointPath(state.Epoch)}");
        return 0;
    }
}
