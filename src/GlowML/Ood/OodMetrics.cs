using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.Ood;

/// <summary>
/// Detection metrics for an out-of-distribution score: AUROC and AUPRC from ML.NET's binary-classification
/// evaluator (out = positive label, the score as the classifier score), FPR at 95% TPR computed here because ML.NET
/// has no such metric. A larger score must mean more out of distribution (bpd and S both do).
/// </summary>
public static class OodMetrics
{
    /// <summary>The true positive rate at which the false positive rate is read, as a percentage.</summary>
    public const int TprPercent = 95;

    /// <summary>AUROC, AUPRC and FPR at 95% TPR of scores of in-distribution and out-of-distribution images.</summary>
    /// <param name="inScores">Scores of in-distribution images (the negatives), at least one, none NaN.</param>
    /// <param name="outScores">Scores of out-of-distribution images (the positives), at least one, none NaN.</param>
    /// <remarks>
    /// Infinite scores are kept in their place in the ranking: ML.NET's evaluator mis-ranks infinities, so
    /// +/-infinity is passed to it as +/-float.MaxValue. All metrics depend only on the order of the scores.
    /// </remarks>
    public static OodMetricResult Compute(float[] inScores, float[] outScores)
    {
        CheckScores(inScores, nameof(inScores));
        CheckScores(outScores, nameof(outScores));

        var rows = new List<ScoredRow>(inScores.Length + outScores.Length);
        rows.AddRange(inScores.Select(s => new ScoredRow { Label = false, Score = Finite(s) }));
        rows.AddRange(outScores.Select(s => new ScoredRow { Label = true, Score = Finite(s) }));

        // LIMITATION: ML.NET computes AUPRC on a reservoir sample of at most 100,000 rows (AUROC uses every row), so
        // above 100,000 in + out scores AUPRC is a seeded estimate; the catalog API offers no way to raise the cap.
        // A fresh context per call: MLContext is not thread-safe and the CLI may score out-sets in parallel.
        var context = new MLContext(seed: 0);
        var data = context.Data.LoadFromEnumerable(rows);
        var metrics = context.BinaryClassification.EvaluateNonCalibrated(data);

        var (threshold, fpr) = FprAtTpr(inScores, outScores, TprPercent);
        return new OodMetricResult(metrics.AreaUnderRocCurve, metrics.AreaUnderPrecisionRecallCurve, fpr, threshold);
    }

    /// <summary>
    /// The largest threshold t at which at least <paramref name="tprPercent"/>% of the out scores are &gt;= t (the
    /// k-th largest out score, k = ceil(n_out * p / 100)), and the share of in scores &gt;= t.
    /// </summary>
    internal static (double Threshold, double Fpr) FprAtTpr(float[] inScores, float[] outScores, int tprPercent)
    {
        var sortedOut = outScores.OrderByDescending(s => s).ToArray();
        int detected = (int)(((long)tprPercent * sortedOut.Length + 99) / 100);
        float threshold = sortedOut[Math.Max(detected, 1) - 1];
        int falsePositives = inScores.Count(s => s >= threshold);
        return (threshold, (double)falsePositives / inScores.Length);
    }

    private static void CheckScores(float[] scores, string name)
    {
        ArgumentNullException.ThrowIfNull(scores, name);
        if (scores.Length == 0)
        {
            throw new ArgumentException($"OOD metrics need at least one score in {name}, got none.", name);
        }

        int nan = Array.FindIndex(scores, float.IsNaN);
        if (nan >= 0)
        {
            throw new ArgumentException(
                $"OOD metrics: {name}[{nan}] is NaN (of {scores.Length} scores); a finite score was expected.", name);
        }
    }

    private static float Finite(float score) =>
        float.IsPositiveInfinity(score) ? float.MaxValue : float.IsNegativeInfinity(score) ? float.MinValue : score;

    /// <summary>One row of the IDataView handed to ML.NET's evaluator.</summary>
    private sealed class ScoredRow
    {
        /// <summary>True for an out-of-distribution image.</summary>
        public bool Label { get; set; }

        /// <summary>The OOD score; larger means more out of distribution.</summary>
        public float Score { get; set; }

        /// <summary>The evaluator's schema requires this column; neither AUROC nor AUPRC depends on it.</summary>
        public bool PredictedLabel { get; set; }
    }
}
