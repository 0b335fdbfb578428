using GlowML.Onnx;

namespace GlowML.Samples.Generate;

/// <summary>Samples an ONNX export (score.onnx + sample.onnx) with ONNX Runtime alone: no TorchSharp, no libtorch.
/// </summary>
internal static class OnnxSampler
{
    /// <summary>Draws from the export in <paramref name="path"/>: its folder, or one of its .onnx files.</summary>
    public static SampledImages Sample(string path, int count, float temperature, int seed)
    {
        var folder = File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : path;
        if (!File.Exists(Path.Combine(folder, "score.onnx")))
        {
            throw new FileNotFoundException($"'{folder}' holds no score.onnx; pass the folder `glow export-onnx` or "
                + "GlowOnnxExporter.Export wrote.", Path.Combine(folder, "score.onnx"));
        }

        using var scorer = OnnxGlowScorer.FromDirectory(folder);
        if (!scorer.CanSample)
        {
            throw new InvalidDataException($"'{folder}' holds score.onnx but no sample.onnx, which sampling needs.");
        }

        var pixels = scorer.Sample(count, temperature, seed);
        return new SampledImages(pixels, count, scorer.Channels, scorer.Height, scorer.Width);
    }
}
