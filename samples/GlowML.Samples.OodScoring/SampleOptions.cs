using System.Globalization;

namespace GlowML.Samples.OodScoring;

/// <summary>The command line of the sample, parsed.</summary>
internal sealed record SampleOptions
{
    /// <summary>Where the default model lives, relative to the repository root.</summary>
    public const string DefaultModel = "models/fashion-mnist/fashion-mnist.release.glow";

    public const string Usage = """
        usage: GlowML.Samples.OodScoring --images DIR [--model FILE | --fit DIR] [options]
          --images DIR       images to score (png, jpg, bmp, webp), first --count by name
          --model FILE       a GlowML release or model file, or a chain saved with SaveWithGlow
                             (default: models/fashion-mnist/fashion-mnist.release.glow under the repository)
          --fit DIR          fit a Glow on these images instead (LoadImages -> ResizeImages -> ExtractPixels -> Glow)
          --count N          images to score (default 100)
          --complexity NAME  png (default) or webp
          --epochs N         epochs when fitting (default 1)
          --channels 1|3     image channels when fitting (default: 1 if the first image is grey, else 3)
          --save FILE        with --fit: save the fitted chain (SaveWithGlow), reusable as --model FILE
        """;

    public required string Images { get; init; }

    public string? Model { get; init; }

    public string? Fit { get; init; }

    public int Count { get; init; } = 100;

    public string Complexity { get; init; } = "png";

    public int Epochs { get; init; } = 1;

    public int? Channels { get; init; }

    public string? Save { get; init; }

    /// <summary>The options in <paramref name="args"/>; throws <see cref="ArgumentException"/> naming a bad one.
    /// </summary>
    public static SampleOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known =
            ["--images", "--model", "--fit", "--count", "--complexity", "--epochs", "--channels", "--save"];
        for (int i = 0; i < args.Length; i++)
        {
            if (!known.Contains(args[i]))
            {
                throw new ArgumentException($"Unknown option '{args[i]}'.");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option '{args[i]}' needs a value.");
            }

            values[args[i]] = args[++i];
        }

        var options = new SampleOptions
        {
            Images = values.GetValueOrDefault("--images") ?? throw new ArgumentException("--images DIR is required."),
            Model = values.GetValueOrDefault("--model"),
            Fit = values.GetValueOrDefault("--fit"),
            Count = Positive(values, "--count", 100),
            Complexity = values.GetValueOrDefault("--complexity", "png"),
            Epochs = Positive(values, "--epochs", 1),
            Channels = values.ContainsKey("--channels") ? Positive(values, "--channels", 1) : null,
            Save = values.GetValueOrDefault("--save"),
        };
        if (options.Model is not null && options.Fit is not null)
        {
            throw new ArgumentException("Give --model FILE or --fit DIR, not both.");
        }

        if (options.Channels is not (null or 1 or 3))
        {
            throw new ArgumentException($"--channels must be 1 or 3, got {options.Channels}.");
        }

        if (options.Save is not null && options.Fit is null)
        {
            throw new ArgumentException("--save FILE saves a fitted chain; it needs --fit DIR.");
        }

        return options;
    }

    private static int Positive(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive whole number, got '{text}'.");
    }
}
