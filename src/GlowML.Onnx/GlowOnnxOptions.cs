using GlowML.Ood;

namespace GlowML.Onnx;

/// <summary>Settings of <see cref="GlowOnnxEstimator"/>; the defaults are the ones listed on each property.</summary>
public sealed class GlowOnnxOptions
{
    /// <summary>The GlowML score.onnx to run. Required.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>Input column: a vector of Single, C*H*W planar pixels as value / 255. Default "Pixels".</summary>
    public string InputColumnName { get; set; } = "Pixels";

    /// <summary>Output column for bits per dimension (Single). Default "BitsPerDim".</summary>
    public string BitsPerDimColumnName { get; set; } = "BitsPerDim";

    /// <summary>Output column for the discrete log-likelihood in nats (Single). Default "LogLikelihood".</summary>
    public string LogLikelihoodColumnName { get; set; } = "LogLikelihood";

    /// <summary>Output column for the input complexity L(x) in bits per dimension (Single): the lossless code
    /// length of the 8-bit image round(value * 255). Null (the default) leaves it out.</summary>
    public string? ComplexityColumnName { get; set; }

    /// <summary>Output column for the out-of-distribution score S(x) = bits/dim - L(x) (Single, Serra et al. 2020;
    /// higher is less like the training data). Null (the default) leaves it out.</summary>
    public string? OodScoreColumnName { get; set; }

    /// <summary>Compressor for L(x): "png" (default) or "webp" (<see cref="ComplexityEstimators.Names"/>).</summary>
    public string ComplexityEstimator { get; set; } = ComplexityEstimators.Default;

    /// <summary>The output column names in schema order: bits/dim, log-likelihood, then the optional ones set.
    /// </summary>
    internal string[] OutputColumnNames => new[]
        {
            BitsPerDimColumnName, LogLikelihoodColumnName, ComplexityColumnName, OodScoreColumnName,
        }.OfType<string>().ToArray();

    /// <summary>Whether the complexity-based columns need an estimator.</summary>
    internal bool NeedsComplexity => ComplexityColumnName is not null || OodScoreColumnName is not null;

    /// <summary>Rows per ONNX Runtime call, 1 to 65536. Default 64: batches amortise the per-call cost that
    /// makes ApplyOnnxModel's one-row calls slow.</summary>
    public int BatchSize { get; set; } = OnnxGlowScorer.DefaultBatchSize;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            throw new ArgumentException("GlowOnnxOptions.ModelPath must name a GlowML score.onnx file.");
        }

        foreach (var (name, value) in new[] { (nameof(InputColumnName), InputColumnName),
                     (nameof(BitsPerDimColumnName), BitsPerDimColumnName),
                     (nameof(LogLikelihoodColumnName), LogLikelihoodColumnName) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"GlowOnnxOptions.{name} must not be empty.");
            }
        }

        foreach (var (name, value) in new[] { (nameof(ComplexityColumnName), ComplexityColumnName),
                     (nameof(OodScoreColumnName), OodScoreColumnName) })
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"GlowOnnxOptions.{name} must be null (no column) or a name; it is empty.");
            }
        }

        var duplicate = OutputColumnNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException(
                $"The output columns need different names; '{duplicate.Key}' is used {duplicate.Count()} times.");
        }

        // Checked even without complexity columns, so that a misspelt name never passes silently.
        ComplexityEstimators.Create(ComplexityEstimator ?? throw new ArgumentException(
            "GlowOnnxOptions.ComplexityEstimator must name an estimator: "
            + string.Join(", ", ComplexityEstimators.Names) + "."));

        if (BatchSize is < 1 or > 65536)
        {
            throw new ArgumentException($"GlowOnnxOptions.BatchSize must be 1 to 65536, got {BatchSize}.");
        }
    }
}
