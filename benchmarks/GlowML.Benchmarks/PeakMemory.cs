using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace GlowML.Benchmarks;

/// <summary>
/// Peak resident memory of training, measured as Linux reports it: VmHWM in /proc/self/status, the high-water mark
/// of the process's resident set, which counts libtorch's native allocations that BenchmarkDotNet's managed memory
/// diagnoser cannot see. Each case runs in a fresh child process so that one case's peak cannot hide another's.
/// </summary>
public static class PeakMemory
{
    private const string ResultPrefix = "PEAK ";

    /// <summary>The process's resident-set high-water mark and current size in MiB (NaN off Linux).</summary>
    public static (double PeakMiB, double CurrentMiB) Read()
    {
        const string file = "/proc/self/status";
        if (!File.Exists(file))
        {
            return (double.NaN, double.NaN);
        }

        double peak = double.NaN, current = double.NaN;
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) / 1024.0;
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kilobytes(line) / 1024.0;
            }
        }

        return (peak, current);
    }

    /// <summary>
    /// Runs every training case of the current mode in its own child process for <paramref name="steps"/> steps
    /// and prints a Markdown table: peak RSS of setup (model, optimiser, data), RSS when training starts (the peak
    /// is reset there), the peak during training, and the training
    /// throughput of those steps.
    /// </summary>
    public static int RunAll(int steps, TextWriter output)
    {
        output.WriteLine($"Peak memory (VmHWM), {steps} training steps per case, {SuiteSettings.Threads} torch "
            + $"threads, {(SuiteSettings.Full ? "full" : "short")} mode, {DateTime.Now:yyyy-MM-dd HH:mm}");
        output.WriteLine();
        output.WriteLine("| Case | Peak RSS setup (MiB) | RSS before training (MiB) | Peak RSS training (MiB) "
            + "| Images/s | Load start/end |");
        output.WriteLine("|---|---:|---:|---:|---:|---|");
        int failures = 0;
        foreach (var suiteCase in TrainingBenchmarks.TrainingCases(SuiteSettings.Full))
        {
            double loadStart = LoadAverageColumn.Read();
            var result = RunChild(suiteCase.Name, steps);
            double loadEnd = LoadAverageColumn.Read();
            if (result is null)
            {
                failures++;
                output.WriteLine($"| {suiteCase.Name} | failed | | | | |");
                continue;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {suiteCase.Name} | {result.Value.SetupMiB:F0} | {result.Value.StartMiB:F0} | "
                + $"{result.Value.PeakMiB:F0} | "
                + $"{result.Value.ImagesPerSecond:F1} | {loadStart:F2}/{loadEnd:F2} |"));
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>The child side: trains <paramref name="caseName"/> for <paramref name="steps"/> steps and prints
    /// one result line.</summary>
    public static int RunCase(string caseName, int steps)
    {
        var suiteCase = TrainingBenchmarks.TrainingCases(SuiteSettings.Full).FirstOrDefault(c => c.Name == caseName)
            ?? throw new ArgumentException($"No training case named '{caseName}' in "
                + $"{(SuiteSettings.Full ? "full" : "short")} mode.", nameof(caseName));
        SuiteSettings.ApplyTorchThreads();
        var (model, trainer, batch) = TrainingBenchmarks.CreateTrainer(suiteCase);
        var (setupPeak, _) = Read();

        // Decoding the initialisation images (SkiaSharp) leaves its own high-water mark; reset it so the training
        // peak is training's. Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ResetPeak();
        var (_, startRss) = Read();

        // The first step allocates the optimiser's moments; it belongs to the peak but not to the throughput.
        TrainingBenchmarks.Step(trainer, batch);
        var clock = Stopwatch.StartNew();
        for (int i = 1; i < steps; i++)
        {
            TrainingBenchmarks.Step(trainer, batch);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        var (peak, _) = Read();
        double imagesPerSecond = steps > 1 ? (steps - 1) * suiteCase.Images / seconds : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ResultPrefix}{setupPeak:F1} {startRss:F1} {peak:F1} {imagesPerSecond:F2}"));
        trainer.Dispose();
        batch.Dispose();
        model.Dispose();
        return 0;
    }

    private static (double SetupMiB, double StartMiB, double PeakMiB, double ImagesPerSecond)? RunChild(
        string caseName, int steps)
    {
        var start = SelfStartInfo();
        foreach (var argument in new[]
                 {
                     SuiteSettings.Full ? "--full" : "--short", "--threads",
                     SuiteSettings.Threads.ToString(CultureInfo.InvariantCulture),
                     "--data", SuiteSettings.DataDirectory,
                     "--peak-child", caseName, "--steps", steps.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException(
            $"Could not start '{start.FileName}' for the peak-memory case {caseName}.");
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"Peak-memory child for {caseName} exited with {process.ExitCode}:\n{text}");
            return null;
        }

        var fields = line[ResultPrefix.Length..].Trim().Split(' ')
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields[0], fields[1], fields[2], fields[3]);
    }

    // Under `dotnet run` or `dotnet x.dll` the process is the dotnet host and the assembly is an argument.
    private static ProcessStartInfo SelfStartInfo()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        return start;
    }

    private static void ResetPeak()
    {
        const string file = "/proc/self/clear_refs";
        if (File.Exists(file))
        {
            File.WriteAllText(file, "5");
        }
    }

    private static double Kilobytes(string line) => double.Parse(
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
