using System.Text.Json.Serialization;

namespace GlowML.Ood;

/// <summary>The detection metrics of one method against one out-set.</summary>
/// <param name="Method">Name of the score (<c>-log-likelihood</c>, <c>S (png)</c>, <c>S (webp)</c>).</param>
/// <param name="InCount">Number of in-distribution images scored.</param>
/// <param name="OutCount">Number of out-of-distribution images scored.</param>
/// <param name="Metrics">AUROC, AUPRC and FPR at 95% TPR.</param>
public sealed record OodMethodResult(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("in_count")] int InCount,
    [property: JsonPropertyName("out_count")] int OutCount,
    [property: JsonPropertyName("metrics")] OodMetricResult Metrics);
