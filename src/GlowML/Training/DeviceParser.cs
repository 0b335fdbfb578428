using static TorchSharp.torch;

namespace GlowML.Training;

/// <summary>Turns "cpu", "cuda" or "cuda:N" into a torch device, refusing ones this machine does not have.</summary>
public static class DeviceParser
{
    /// <summary>What <see cref="Parse"/> accepts, in words for messages.</summary>
    public const string Syntax = "cpu, cuda or cuda:N";

    /// <summary>Whether <paramref name="name"/> is spelt as a device ("cpu", "cuda", "cuda:N"), without asking the
    /// machine whether it has that device; so a command line can be checked before libtorch loads.</summary>
    public static bool IsKnownName(string? name) => name is not null && TryParseName(name, out _, out _);

    /// <summary>Parses and checks <paramref name="name"/>.</summary>
    public static Device Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TryParseName(name, out bool isCuda, out int index))
        {
            throw new ArgumentException($"Unknown device '{name}': use {Syntax}.");
        }

        GlowML.Native.TorchNative.EnsureLoaded();
        if (!isCuda)
        {
            return CPU;
        }

        if (!cuda.is_available())
        {
            throw new ArgumentException($"Device '{name}' is not available: no CUDA device was found, or this build "
                + "uses the CPU backend (build with -p:TorchBackend=cuda for NVIDIA GPUs).");
        }

        int count = cuda.device_count();
        if (index >= count)
        {
            throw new ArgumentException($"Device '{name}' is not available: this machine has {count} CUDA device(s).");
        }

        return new Device(TorchSharp.DeviceType.CUDA, index);
    }

    private static bool TryParseName(string name, out bool isCuda, out int index)
    {
        var text = name.Trim().ToLowerInvariant();
        index = 0;
        isCuda = text == "cuda" || (text.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(5), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out index));
        return isCuda || text == "cpu";
    }
}
