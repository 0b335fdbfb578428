namespace GlowML.Ood;

/// <summary>ROC curve points for the figures; the metrics come from ML.NET (<see cref="OodMetrics"/>).</summary>
internal static class RocCurve
{
    /// <summary>
    /// (false positive rate, true positive rate) as the threshold falls from +infinity past every distinct score,
    /// from (0, 0) to (1, 1). Tied in and out scores move both rates in one step, a diagonal segment.
    /// </summary>
    public static (double[] Fpr, double[] Tpr) Points(float[] inScores, float[] outScores)
    {
        var labelled = inScores.Select(s => (Score: s, IsOut: false))
            .Concat(outScores.Select(s => (Score: s, IsOut: true)))
            .OrderByDescending(p => p.Score)
            .ToArray();
        var fpr = new List<double> { 0.0 };
        var tpr = new List<double> { 0.0 };
        int falsePositives = 0, truePositives = 0;
        for (int i = 0; i < labelled.Length; i++)
        {
            if (labelled[i].IsOut)
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }

            bool lastOfTie = i == labelled.Length - 1 || labelled[i + 1].Score != labelled[i].Score;
            if (lastOfTie)
            {
                fpr.Add((double)falsePositives / inScores.Length);
                tpr.Add((double)truePositives / outScores.Length);
            }
        }

        return (fpr.ToArray(), tpr.ToArray());
    }

    /// <summary>Trapezoid area under the points; equals AUROC with ties counted half.</summary>
    public static double Area(double[] fpr, double[] tpr)
    {
        double area = 0;
        for (int i = 1; i < fpr.Length; i++)
        {
            area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        }

        return area;
    }
}
