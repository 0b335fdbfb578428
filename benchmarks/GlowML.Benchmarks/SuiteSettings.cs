using TorchSharp;

namespace GlowML.Benchmarks;

/// <summary>
/// Process-wide settings of one suite run. The benchmarks run in process (BenchmarkDotNet's in-process toolchain),
/// so the parameter sources read these after <see cref="Program"/> set them from the command line.
/// </summary>
public static class SuiteSettings
{
    /// <summary>True for <c>--full</c> (the configurations), false for <c>--short</c> (tiny).</summary>
    public static bool Full { get; set; }

    /// <summary>Threads given to libtorch (intra-op) and ONNX Runtime (intra-op); defaults to the core count.</summary>
    public static int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>The shared real data: ../shared/data beside the repository unless GLOWML_DATA or --data says.</summary>
    public static string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>Applies <see cref="Threads"/> to libtorch. Called once per process, before any model exists.</summary>
    public static void ApplyTorchThreads()
    {
        GlowML.Native.TorchNative.EnsureLoaded();
        torch.set_num_threads(Threads);
    }

    private static string DefaultDataDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("GLOWML_DATA");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GlowML.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? Path.GetFullPath("data")
            : Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data"));
    }
}
