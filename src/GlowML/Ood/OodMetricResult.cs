using System.Text.Json.Serialization;

namespace GlowML.Ood;

/// <summary>
/// How well one score separates an in-distribution set from an out-of-distribution set. Out-of-distribution is the
/// positive class and a larger score means more out of distribution.
/// </summary>
/// <param name="Auroc">Area under the ROC curve: the chance that a random out image scores above a random in image
/// (ties count half). 1 is perfect, 0.5 is chance, 0 is perfectly reversed.</param>
/// <param name="Auprc">Area under the precision-recall curve with out as positive (ML.NET's lower-trapezoid
/// estimate).</param>
/// <param name="FprAt95Tpr">False positive rate at 95% true positive rate: take the largest threshold t such that
/// at least 95% of the out images have score &gt;= t; the share of in images with score &gt;= t.</param>
/// <param name="ThresholdAt95Tpr">That threshold t, in score units.</param>
public sealed record OodMetricResult(
    [property: JsonPropertyName("auroc")] double Auroc,
    [property: JsonPropertyName("auprc")] double Auprc,
    [property: JsonPropertyName("fpr_at_95_tpr")] double FprAt95Tpr,
    [property: JsonPropertyName("threshold_at_95_tpr")] double ThresholdAt95Tpr);
