using GlowML.Model;
using GlowML.Onnx;
using Microsoft.ML;

namespace GlowML.Samples.Readme;

public static class OnnxSnippet
{
    public static void Run(IDataView pixels, float[] somePixels, int count)
    {
        // README:begin onnx
        // Export (this part uses TorchSharp): score.onnx and sample.onnx, opset 17, dynamic batch.
        var (model, info) = GlowModelFile.Load("models/fashion-mnist/fashion-mnist.release.glow");
        GlowOnnxFiles files = GlowOnnxExporter.Export(model, "onnx-out", info.Metadata);

        // Score and sample with ONNX Runtime alone (package GlowML.Onnx: no TorchSharp, no libtorch).
        using var scorer = OnnxGlowScorer.FromDirectory("onnx-out");
        OnnxGlowScores scores = scorer.Score(somePixels, count);     // planar [count, C, H, W], values / 255
        float[] images = scorer.Sample(count: 16, temperature: 0.7f, seed: 1);

        // Or inside an ML.NET pipeline, in batches of 64 rows per ONNX Runtime call.
        var ml = new MLContext();
        var scored = ml.Transforms.GlowOnnx(files.ScorePath, inputColumnName: "Pixels").Fit(pixels).Transform(pixels);
        // README:end
        Console.WriteLine($"{scores.Count} {images.Length} {scored.Schema.Count}");
    }
}
