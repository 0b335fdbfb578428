using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace GlowML.Native;

/// <summary>
/// Turns TorchSharp's long native-load failure into one exception that says what is missing and how to fix it.
/// </summary>
public static class TorchNative
{
    /// <summary>The C++ runtime symbol version libtorch 2.10 (TorchSharp 0.107) needs on Linux.</summary>
    public const string RequiredCxxRuntime = "GLIBCXX_3.4.32";

    private static readonly object Gate = new();
    private static bool _loaded;

    /// <summary>Loads libtorch once; throws <see cref="GlowNativeLibraryException"/> with a remedy if it cannot.</summary>
    public static void EnsureLoaded()
    {
        if (_loaded)
        {
            return;
        }

        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            try
            {
                Initialize();
            }
            catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException
                                          or BadImageFormatException or EntryPointNotFoundException)
            {
                throw new GlowNativeLibraryException(Explain(e), e);
            }

            _loaded = true;
        }
    }

    // A separate, never-inlined method: TorchSharp's type initialiser can run when the calling method is compiled,
    // which would throw before EnsureLoaded's try block is entered.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Initialize() => InitializeDeviceType(TorchSharp.DeviceType.CPU);

    /// <summary>Explains a native-load failure in one or two sentences with the fix.</summary>
    public static string Explain(Exception e) => Explain(e, LinuxLibraryDirectories());

    /// <summary>Whether <paramref name="e"/> (or an exception inside it) is a failure to load a native library.</summary>
    public static bool IsNativeLoadFailure(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            if (x is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>As <see cref="Explain(Exception)"/>, looking for libstdc++ in <paramref name="directories"/> in
    /// order, as the dynamic loader would.</summary>
    internal static string Explain(Exception e, IEnumerable<string> directories)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            var runtime = directories.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
            if (runtime is not null && !HasSymbol(runtime, RequiredCxxRuntime))
            {
                return $"libtorch (TorchSharp 0.107) could not load: the C++ runtime {runtime} lacks "
                    + $"{RequiredCxxRuntime} (libstdc++ of GCC 13 or newer). On Debian 12 run "
                    + "scripts/install-native-deps.sh as root; elsewhere install a newer libstdc++6.";
            }
        }

        return "libtorch could not load. Reference a TorchSharp native backend package in your application "
            + "(TorchSharp-cpu, or TorchSharp-cuda-linux / TorchSharp-cuda-windows for NVIDIA GPUs). "
            + $"Cause: {e.GetBaseException().Message.Split('\n')[0]}";
    }

    /// <summary>Whether the shared library at <paramref name="path"/> names the symbol version
    /// <paramref name="symbolVersion"/> (a plain byte search, as the dynamic loader's version table stores it).</summary>
    internal static bool HasSymbol(string path, string symbolVersion)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(symbolVersion + "\0");
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf(needle) >= 0;
    }

    // LD_LIBRARY_PATH first, then the usual system folders: the order the dynamic loader searches.
    private static IEnumerable<string> LinuxLibraryDirectories() =>
        (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(new[]
            {
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
            });
}
