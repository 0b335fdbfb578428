using GlowML.MLNet;
using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Transforms.Glow(...)</c>.</summary>
public static class GlowCatalog
{
    /// <summary>A Glow estimator scoring <paramref name="inputColumnName"/> (a float vector, planar [C, H, W], in
    /// [0, 1]) into <paramref name="outputColumnName"/> (bits/dim) and "LogLikelihood".</summary>
    public static GlowEstimator Glow(this TransformsCatalog catalog, string outputColumnName = "BitsPerDim",
        string inputColumnName = "Pixels", int epochs = 1, int batchSize = 64, double learningRate = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new GlowEstimator.Options
        {
            BitsPerDimColumnName = outputColumnName,
            InputColumnName = inputColumnName,
        };
        options.Training = options.Training with
        {
            MaxEpochs = epochs, BatchSize = batchSize, LearningRate = learningRate,
        };
        return new GlowEstimator(ContextOf(catalog), options);
    }

    /// <summary>A Glow estimator with every option.</summary>
    public static GlowEstimator Glow(this TransformsCatalog catalog, GlowEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GlowEstimator(ContextOf(catalog), options);
    }

    // LIMITATION: a catalog exposes its MLContext only through a private field; when a future ML.NET renames it,
    // Fit still trains but its progress no longer reaches MLContext.Log.
    private static IHostEnvironment? ContextOf(TransformsCatalog catalog) =>
        typeof(TransformsCatalog).GetField("_env", System.Reflection.BindingFlags.NonPublic
            | System.Reflection.BindingFlags.Instance)?.GetValue(catalog) as IHostEnvironment;
}
