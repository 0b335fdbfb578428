using System.ComponentModel;
using GlowML.Experiments;
using GlowML.Model;
using GlowML.Training;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow sample</c>: images from a checkpoint or a release, as a PNG grid.</summary>
public sealed class SampleCommand : Command<SampleCommand.Settings>
{
    /// <summary>Options of <c>glow sample</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>The epoch.</summary>
        [CommandOption("--epoch <N>")]
        [Description("Sample from this checkpoint of --experiment-name.")]
        [OptionRange(1)]
        public int? Epoch { get; init; }

        /// <summary>A release file.</summary>
        [CommandOption("--release <FILE>")]
        [Description("Sample from this release file instead.")]
        public string? Release { get; init; }

        /// <summary>Images.</summary>
        [CommandOption("--count <N>")]
        [Description("Number of images. Default: 64")]
        [DefaultValue(64)]
        // A grid beyond this is no longer an image anyone can look at, and would only run out of memory.
        [OptionRange(1, 10000)]
        public int Count { get; init; } = 64;

        /// <summary>Temperature.</summary>
        [CommandOption("--temperature <T>")]
        [Description("Sampling temperature. Default: 0.7")]
        [DefaultValue(0.7)]
        public double Temperature { get; init; } = 0.7;

        /// <summary>Output PNG.</summary>
        [CommandOption("--output <FILE>")]
        [Description("The PNG to write.")]
        public string? Output { get; init; }

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed for the noise. Default: 0")]
        public long Seed { get; init; }

        /// <inheritdoc />
        protected override Spectre.Console.ValidationResult ValidateOptions() =>
            (Epoch is null) == (Release is null)
                ? Spectre.Console.ValidationResult.Error("Give exactly one of --epoch N or --release FILE.")
            : Output is null ? Spectre.Console.ValidationResult.Error("--output FILE.png is required.")
            : !double.IsFinite(Temperature) || Temperature < 0
                ? Spectre.Console.ValidationResult.Error("--temperature must be a finite number, 0 or more.")
            : !Output.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
                ? Spectre.Console.ValidationResult.Error("--output must name a .png file.")
            : Spectre.Console.ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (File.Exists(settings.Output) && !IsPng(settings.Output!))
        {
            throw new IOException($"'{settings.Output}' exists and is not a PNG image; refusing to overwrite it.");
        }

        var model = settings.Release is string release
            ? GlowModelFile.Load(release).Model
            : CheckpointFile.Load(settings.OpenExperiment().RequireCheckpoint(settings.Epoch!.Value)).Model;
        ExperimentRunner.SampleToPng(model, settings.Count, settings.Temperature, settings.Seed, settings.Output!);
        Console.WriteLine($"wrote {settings.Count} samples at temperature {settings.Temperature} to {settings.Output}");
        return 0;
    }

    private static bool IsPng(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var file = File.OpenRead(path);
        return file.Read(head) == 8 && head.SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
    }
}
