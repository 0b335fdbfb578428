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
                InitializeDeviceType(TorchSharp.DeviceType.CPU);
            }
            catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException
                                          or BadImageFormatException or EntryPointNotFoundException)
            {
                throw new GlowNativeLibraryException(Explain(e), e);
            }

            _loaded = true;
        }
    }

    /// <summary>Explains a native-load failure in one or two sentences with the fix.</summary>
    internal static string Explain(Exception e)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            var runtime = FindLinuxCxxRuntime();
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

    private static string? FindLinuxCxxRuntime()
    {
        string[] candidates =
        {
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        return candidates.FirstOrDefault(File.Exists);
    }
}
