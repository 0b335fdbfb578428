using Microsoft.ML;

namespace GlowML.Onnx;

/// <summary>ML.NET catalog entry points: <c>mlContext.Transforms.GlowOnnx(...)</c>.</summary>
public static class GlowOnnxCatalog
{
    /// <summary>Scores the pixel column with a GlowML score.onnx in batches, adding bits/dim and log-likelihood.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelPath">The GlowML score.onnx.</param>
    /// <param name="inputColumnName">Vector of Single [C*H*W] pixels, value / 255, planar.</param>
    /// <param name="bitsPerDimColumnName">Output column for bits per dimension.</param>
    /// <param name="logLikelihoodColumnName">Output column for the discrete log-likelihood in nats.</param>
    /// <param name="batchSize">Rows per ONNX Runtime call.</param>
    public static GlowOnnxEstimator GlowOnnx(this TransformsCatalog catalog, string modelPath,
        string inputColumnName = "Pixels", string bitsPerDimColumnName = "BitsPerDim",
        string logLikelihoodColumnName = "LogLikelihood", int batchSize = OnnxGlowScorer.DefaultBatchSize) =>
        catalog.GlowOnnx(new GlowOnnxOptions
        {
            ModelPath = modelPath,
            InputColumnName = inputColumnName,
            BitsPerDimColumnName = bitsPerDimColumnName,
            LogLikelihoodColumnName = logLikelihoodColumnName,
            BatchSize = batchSize,
        });

    /// <summary>Scores the pixel column with a GlowML score.onnx as <paramref name="options"/> say.</summary>
    public static GlowOnnxEstimator GlowOnnx(this TransformsCatalog catalog, GlowOnnxOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GlowOnnxEstimator(options);
    }
}
