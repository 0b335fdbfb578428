using GlowML.Ood;
using Xunit;

namespace GlowML.Tests.Ood;

public class OodMetricsTests
{
    [Fact]
    public void SeparableScoresArePerfect()
    {
        var result = OodMetrics.Compute([0.1f, 0.2f, 0.3f, 0.4f], [0.5f, 0.9f, 0.7f]);

        Assert.Equal(1.0, result.Auroc, 12);
        Assert.Equal(1.0, result.Auprc, 12);
        Assert.Equal(0.0, result.FprAt95Tpr);
        Assert.Equal(0.5, result.ThresholdAt95Tpr, 6);
    }

    [Fact]
    public void ReversedScoresAreWorstPossible()
    {
        var result = OodMetrics.Compute([5f, 6f, 7f], [1f, 2f, 3f, 4f]);

        Assert.Equal(0.0, result.Auroc, 12);
        Assert.Equal(1.0, result.FprAt95Tpr);
        // Every out image is found only after every in image: precision climbs from 1/4 to 4/7.
        Assert.True(result.Auprc < 0.5, $"AUPRC {result.Auprc}");
    }

    [Fact]
    public void MixedCaseMatchesHandComputation()
    {
        // Descending: 0.9 out, 0.8 in, 0.6 out, 0.5 in, 0.4 out, 0.3 in, 0.2 in.
        float[] inScores = [0.8f, 0.5f, 0.3f, 0.2f];
        float[] outScores = [0.9f, 0.6f, 0.4f];

        var result = OodMetrics.Compute(inScores, outScores);

        // Pairs (out above in): 0.9 beats 4, 0.6 beats 3, 0.4 beats 2 -> 9 of 12.
        Assert.Equal(0.75, result.Auroc, 12);
        // Lower trapezoids at recall 1/3, 2/3, 1: 1/3 * (1 + 1)/2 + 1/3 * (1/2 + 2/3)/2 + 1/3 * (1/2 + 3/5)/2.
        Assert.Equal(128.0 / 180.0, result.Auprc, 12);
        // 95% of 3 out images needs all 3: threshold 0.4, and in scores 0.8 and 0.5 are at or above it.
        Assert.Equal(0.4, result.ThresholdAt95Tpr, 6);
        Assert.Equal(0.5, result.FprAt95Tpr, 12);
    }

    [Fact]
    public void AurocEqualsThePairwiseCountOnOverlappingScores()
    {
        var random = new Random(3);
        var inScores = Enumerable.Range(0, 400).Select(_ => (float)Gaussian(random)).ToArray();
        var outScores = Enumerable.Range(0, 300).Select(_ => (float)(Gaussian(random) + 1.0)).ToArray();
        inScores[0] = outScores[0]; // one tie, which counts half

        double pairs = 0;
        foreach (var o in outScores)
        {
            foreach (var i in inScores)
            {
                pairs += o > i ? 1.0 : o == i ? 0.5 : 0.0;
            }
        }

        var result = OodMetrics.Compute(inScores, outScores);

        Assert.Equal(pairs / (inScores.Length * outScores.Length), result.Auroc, 9);
        Assert.InRange(result.Auroc, 0.7, 0.85); // two unit Gaussians one apart: 0.76
        // 95% TPR: the 15th smallest out score of 300 (285 at or above it).
        var threshold = outScores.OrderByDescending(s => s).ElementAt(284);
        Assert.Equal(threshold, result.ThresholdAt95Tpr);
        Assert.Equal(inScores.Count(s => s >= threshold) / 400.0, result.FprAt95Tpr, 12);
    }

    [Fact]
    public void InfiniteScoresKeepTheirRank()
    {
        var result = OodMetrics.Compute([float.NegativeInfinity, 1f], [float.PositiveInfinity, 0.5f]);

        Assert.Equal(0.75, result.Auroc, 12);
    }

    [Fact]
    public void NaNAndEmptyScoresAreRefused()
    {
        var nan = Assert.Throws<ArgumentException>(() => OodMetrics.Compute([1f, 2f], [3f, float.NaN, 1f]));
        Assert.Contains("outScores[1] is NaN", nan.Message);
        var empty = Assert.Throws<ArgumentException>(() => OodMetrics.Compute([], [1f]));
        Assert.Contains("inScores", empty.Message);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
