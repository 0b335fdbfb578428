using GlowML.MLNet;

namespace GlowML.Samples.Generate;

/// <summary>Samples a GlowML release (or model) file with TorchSharp: this path loads libtorch.</summary>
internal static class TorchSampler
{
    public static SampledImages Sample(string releasePath, int count, float temperature, int seed)
    {
        using var transformer = GlowTransformer.FromRelease(releasePath);
        var samples = transformer.Sample(count, temperature, seed);
        foreach (var image in samples.Images)
        {
            image.Dispose();
        }

        var a = transformer.Model.Architecture;
        return new SampledImages(samples.Pixels.SelectMany(p => p).ToArray(), count, a.Channels, a.Height, a.Width);
    }
}
