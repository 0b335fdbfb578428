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

        if (BitsPerDimColumnName == LogLikelihoodColumnName)
        {
            throw new ArgumentException(
                $"The two output columns need different names; both are '{BitsPerDimColumnName}'.");
        }

        if (BatchSize is < 1 or > 65536)
        {
            throw new ArgumentException($"GlowOnnxOptions.BatchSize must be 1 to 65536, got {BatchSize}.");
        }
    }
}
