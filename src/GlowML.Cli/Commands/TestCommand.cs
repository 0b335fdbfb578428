using System.ComponentModel;
using System.Globalization;
using GlowML.Experiments;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow test</c>: test-set bits/dim and a sample grid for one epoch.</summary>
public sealed class TestCommand : Command<TestCommand.Settings>
{
    /// <summary>Options of <c>glow test</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>The epoch.</summary>
        [CommandOption("--epoch <N>")]
        [Description("The checkpoint's epoch (default: the latest).")]
        [OptionRange(1)]
        public int? Epoch { get; init; }

        /// <summary>Samples.</summary>
        [CommandOption("--count <N>")]
        [Description("Images in the sample grid (default: testing.sample_count).")]
        // A grid beyond this is no longer an image anyone can look at, and would only run out of memory.
        [OptionRange(1, 10000)]
        public int? Count { get; init; }

        /// <summary>Temperature.</summary>
        [CommandOption("--temperature <T>")]
        [Description("Sampling temperature (default: testing.temperature).")]
        public double? Temperature { get; init; }

        /// <inheritdoc />
        protected override Spectre.Console.ValidationResult ValidateOptions() =>
            Temperature is double t && (!double.IsFinite(t) || t < 0)
                ? Spectre.Console.ValidationResult.Error("--temperature must be a finite number, 0 or more.")
            : Spectre.Console.ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var experiment = settings.OpenExperiment();
        int epoch = settings.Epoch ?? experiment.LatestEpoch
            ?? throw new InvalidOperationException($"Experiment '{experiment.Name}' has no checkpoint yet.");
        var result = ExperimentRunner.Test(experiment, settings.DataPath, epoch, settings.Count, settings.Temperature,
            Console.WriteLine);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {result.Epoch}: test {result.BitsPerDim:F4} bits/dim over {result.Images} images"));
        Console.WriteLine($"samples: {result.SamplesPath}");
        Console.WriteLine($"report:  {result.ReportPath}");
        return 0;
    }
}
