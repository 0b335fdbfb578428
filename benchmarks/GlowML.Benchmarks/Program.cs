using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace GlowML.Benchmarks;

/// <summary>
/// Entry point. <c>--short</c> (default): one tiny configuration per benchmark, seconds per case, for CI.
/// <c>--full</c>: the configurations. <c>--threads N</c> sets libtorch and ONNX Runtime threads (default:
/// the core count). <c>--data PATH</c> overrides ../shared/data. <c>--peak-memory [--steps N]</c> measures peak
/// RSS of training in child processes instead of running BenchmarkDotNet. Anything else goes to BenchmarkDotNet
/// (e.g. <c>--filter *Scoring*</c>); without a filter every benchmark runs.
/// </summary>
public static class Program
{
    /// <summary>Runs the suite; returns 0 when every benchmark ran.</summary>
    public static int Main(string[] args)
    {
        var rest = new List<string>();
        string? peakChild = null;
        bool peakMemory = false;
        int steps = 5;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--short":
                    SuiteSettings.Full = false;
                    break;
                case "--full":
                    SuiteSettings.Full = true;
                    break;
                case "--threads":
                    SuiteSettings.Threads = PositiveInt(args, ++i, "--threads");
                    break;
                case "--steps":
                    steps = PositiveInt(args, ++i, "--steps");
                    break;
                case "--data":
                    SuiteSettings.DataDirectory = Path.GetFullPath(Value(args, ++i, "--data"));
                    break;
                case "--peak-memory":
                    peakMemory = true;
                    break;
                case "--peak-child":
                    peakChild = Value(args, ++i, "--peak-child");
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (peakChild is not null)
        {
            return PeakMemory.RunCase(peakChild, steps);
        }

        if (peakMemory)
        {
            return PeakMemory.RunAll(steps, Console.Out);
        }

        if (!rest.Contains("--filter"))
        {
            rest.AddRange(new[] { "--filter", "*" });
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), CreateConfig());
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    /// <summary>In-process runs (no per-benchmark project build, which takes minutes on two cores) with few
    /// iterations; full mode takes more of them.</summary>
    private static IConfig CreateConfig()
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(SuiteSettings.Full ? 2 : 1)
            .WithIterationCount(SuiteSettings.Full ? 6 : 3)
            .WithId(SuiteSettings.Full ? "full" : "short");
        var load = new LoadAverageColumn();
        return ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new ImagesPerSecondColumn(), load)
            .AddEventProcessor(load)
            .AddExporter(MarkdownExporter.GitHub)
            .WithSummaryStyle(SummaryStyle.Default.WithCultureInfo(CultureInfo.InvariantCulture))
            .WithOptions(ConfigOptions.Default);
    }

    private static string Value(string[] args, int index, string option) => index < args.Length
        ? args[index]
        : throw new ArgumentException($"{option} needs a value.");

    private static int PositiveInt(string[] args, int index, string option)
    {
        var text = Value(args, index, option);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{option} must be a positive integer, got '{text}'.");
    }
}
