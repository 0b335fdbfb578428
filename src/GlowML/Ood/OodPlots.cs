using ScottPlot;

namespace GlowML.Ood;

/// <summary>The report's figures, drawn with ScottPlot and returned as PNG bytes.</summary>
internal static class OodPlots
{
    private const int Width = 800;
    private const int Height = 600;
    private const int HistogramBins = 50;

    /// <summary>ROC curves of every method of one out-set, with the chance diagonal.</summary>
    public static byte[] Roc(string inSet, string outSet, IReadOnlyList<OodScoreSet> methods,
        IReadOnlyList<OodMethodResult> results)
    {
        using var plot = new Plot();
        var chance = plot.Add.ScatterLine(new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 }, Colors.Gray);
        chance.LinePattern = LinePattern.Dashed;
        for (int m = 0; m < methods.Count; m++)
        {
            var (fpr, tpr) = RocCurve.Points(methods[m].InScores, methods[m].OutScores);
            var curve = plot.Add.ScatterLine(fpr, tpr);
            curve.LineWidth = 2;
            curve.LegendText = $"{methods[m].Method} (AUROC {results[m].Metrics.Auroc:0.000})";
        }

        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title($"ROC: in {inSet}, out {outSet}");
        plot.XLabel("False positive rate (in-distribution flagged)");
        plot.YLabel("True positive rate (out-of-distribution detected)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// Histograms of one method's scores on the in-set and the out-set, as shares of each set (so sets of different
    /// sizes compare), with the 95%-TPR threshold marked.
    /// </summary>
    public static byte[] Histogram(string inSet, OodScoreSet scores, OodMethodResult result)
    {
        var finite = scores.InScores.Concat(scores.OutScores).Where(float.IsFinite).Select(s => (double)s).ToList();
        double low = finite.Count > 0 ? finite.Min() : 0.0;
        double high = finite.Count > 0 ? finite.Max() : 1.0;
        if (high <= low)
        {
            // All scores equal: widen the range so that the bins have a size.
            low -= 0.5;
            high += 0.5;
        }

        using var plot = new Plot();
        AddShares(plot, scores.InScores, low, high, $"in: {inSet}", Colors.Blue);
        AddShares(plot, scores.OutScores, low, high, $"out: {scores.OutSet}", Colors.Red);
        var threshold = plot.Add.VerticalLine(result.Metrics.ThresholdAt95Tpr, 1.5f, Colors.Black, LinePattern.Dashed);
        threshold.LegendText = $"95% TPR threshold (FPR {result.Metrics.FprAt95Tpr:0.000})";
        plot.Title($"{scores.Method}: in {inSet}, out {scores.OutSet}");
        plot.XLabel($"{scores.Method} (larger = more out of distribution)");
        plot.YLabel("Share of the set per bin");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>A filled step outline of the share of <paramref name="values"/> in each bin.</summary>
    private static void AddShares(Plot plot, float[] values, double low, double high, string label, Color colour)
    {
        double binSize = (high - low) / HistogramBins;
        var counts = new int[HistogramBins];
        foreach (var value in values)
        {
            // Infinite scores land in the end bins; the last edge belongs to the last bin.
            double position = float.IsFinite(value) ? (value - low) / binSize : value > 0 ? HistogramBins - 1 : 0;
            counts[Math.Clamp((int)Math.Floor(position), 0, HistogramBins - 1)]++;
        }

        var xs = new double[2 * HistogramBins];
        var ys = new double[2 * HistogramBins];
        for (int b = 0; b < HistogramBins; b++)
        {
            double share = (double)counts[b] / values.Length;
            xs[2 * b] = low + b * binSize;
            xs[2 * b + 1] = low + (b + 1) * binSize;
            ys[2 * b] = share;
            ys[2 * b + 1] = share;
        }

        var outline = plot.Add.ScatterLine(xs, ys, colour);
        outline.LineWidth = 1.5f;
        outline.FillY = true;
        outline.FillYColor = colour.WithAlpha(0.25);
        outline.LegendText = label;
    }
}
