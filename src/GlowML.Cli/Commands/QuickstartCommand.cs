using System.ComponentModel;
using System.Globalization;
using GlowML.Experiments;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow quickstart</c>: the main job on embedded real data, into one folder named at the end.</summary>
public sealed class QuickstartCommand : Command<QuickstartCommand.Settings>
{
    /// <summary>Options of <c>glow quickstart</c>.</summary>
    public sealed class Settings : CheckedSettings
    {
        /// <summary>Output folder.</summary>
        [CommandOption("--output <DIR>")]
        [Description("Folder to create for everything the run writes. Default: glow-quickstart-<date>-<time>")]
        public string? Output { get; init; }

        /// <summary>Epochs.</summary>
        [CommandOption("--epochs <N>")]
        [Description("Training epochs over the 6,000 embedded images. Default: 4 (about 2 minutes on 2 cores)")]
        [OptionRange(1)]
        public int? Epochs { get; init; }

        /// <summary>Stack traces.</summary>
        [CommandOption("-v|--verbose")]
        [Description("Print stack traces with errors.")]
        public bool Verbose { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(settings.Output
            ?? $"glow-quickstart-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"GlowML quickstart: Glow on 6,000 Fashion-MNIST images, then test, sample, release, ONNX "
            + "export and an out-of-distribution report (MNIST, constant, noise).");
        var data = Path.Combine(output, "data");
        Directory.CreateDirectory(data);
        foreach (var file in Quickstart.DataFiles)
        {
            using var resource = Resource("quickstart." + file);
            using var target = File.Create(Path.Combine(data, file));
            resource.CopyTo(target);
        }

        string config;
        using (var reader = new StreamReader(Resource("quickstart.config.json")))
        {
            config = reader.ReadToEnd();
        }

        var reporter = new ConsoleReporter();
        var result = reporter.Run(() => Quickstart.Run(Path.Combine(output, "run"), data, config, reporter,
            settings.Epochs, cancellationToken));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test bits/dim:  {result.TestBitsPerDim:F3} (1,000 held-out Fashion-MNIST images)"));
        foreach (var ((outSet, method), auroc) in result.Aurocs.OrderBy(a => a.Key.OutSet).ThenBy(a => a.Key.Method))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"OOD AUROC:      {outSet,-9} {method,-17} {auroc:F3}"));
        }

        Console.WriteLine($"samples:        {result.SamplesPath}");
        Console.WriteLine($"release:        {result.ReleasePath}");
        Console.WriteLine($"ONNX:           {result.OnnxDirectory}");
        Console.WriteLine($"OOD report:     {Path.Combine(result.ReportDirectory, "report.md")}");
        Console.WriteLine($"everything is in {output}");
        return 0;
    }

    private static Stream Resource(string name) =>
        typeof(QuickstartCommand).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The embedded resource {name} is missing from this build of glow.");
}
