using static TorchSharp.torch;

namespace GlowML.Training;

/// <summary>Turns "cpu", "cuda" or "cuda:N" into a torch device, refusing ones this machine does not have.</summary>
public static class DeviceParser
{
    /// <summary>Parses and checks <paramref name="name"/>.</summary>
    public static Device Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        GlowML.Native.TorchNative.EnsureLoaded();
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu")
        {
            return CPU;
        }

        int index = 0;
        bool isCuda = text == "cuda" || (text.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(5), out index) && index >= 0);
        if (!isCuda)
        {
            throw new ArgumentException($"Unknown device '{name}': use cpu, cuda or cuda:N.");
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
}
