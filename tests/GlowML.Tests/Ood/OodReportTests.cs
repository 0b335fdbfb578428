using System.Globalization;
using GlowML.Ood;
using SkiaSharp;
using Xunit;

namespace GlowML.Tests.Ood;

public sealed class OodReportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"glowml-ood-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void WritesEveryFileAndJsonRoundTripsTheNumbers()
    {
        var sets = ScoreSets();

        var written = OodReport.Write(_directory, "fashion-mnist", sets);

        string[] expected =
        [
            "report.md", "report.json", "roc-mnist.png", "roc-noise.png",
            "hist-mnist-log-likelihood.png", "hist-mnist-s-png.png", "hist-noise-log-likelihood.png",
            "hist-noise-s-png.png",
        ];
        Assert.Equal(expected.Order(), Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
        foreach (var png in expected.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
        {
            using var image = SKBitmap.Decode(Path.Combine(_directory, png));
            Assert.True(image is { Width: 800, Height: 600 }, $"{png} should be an 800x600 PNG.");
        }

        var read = OodReport.Read(Path.Combine(_directory, OodReport.JsonFile));
        Assert.Equal("fashion-mnist", read.InSet);
        Assert.Equal(["mnist", "noise"], read.OutSets.Select(o => o.OutSet));
        for (int o = 0; o < 2; o++)
        {
            Assert.Equal(written.OutSets[o].Methods, read.OutSets[o].Methods);
        }

        // The numbers are the metrics of the scores, not placeholders.
        var mnistLikelihood = read.OutSets[0].Methods[0];
        Assert.Equal(OodMetrics.Compute(sets[0].InScores, sets[0].OutScores), mnistLikelihood.Metrics);
        Assert.Equal((300, 200), (mnistLikelihood.InCount, mnistLikelihood.OutCount));
        Assert.True(read.OutSets[0].Methods[1].Metrics.Auroc > mnistLikelihood.Metrics.Auroc + 0.3);

        var markdown = File.ReadAllText(Path.Combine(_directory, OodReport.MarkdownFile));
        var row = read.OutSets[0].Methods[1];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"| S (png) | {row.Metrics.Auroc:0.0000} | {row.Metrics.Auprc:0.0000} | {row.Metrics.FprAt95Tpr:0.0000} |"),
            markdown);
        Assert.Contains("](roc-noise.png)", markdown);
        Assert.Contains("](hist-noise-s-png.png)", markdown);
    }

    [Fact]
    public void ReadRefusesAnUnknownFormatVersion()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "report.json");
        File.WriteAllText(path, """{ "format_version": 7, "in_set": "x", "out_sets": [] }""");

        var error = Assert.Throws<InvalidDataException>(() => OodReport.Read(path));
        Assert.Contains("format_version", error.Message);
        Assert.Contains("got 7", error.Message);
    }

    [Fact]
    public void RepeatedOutSetAndMethodIsRefused()
    {
        var set = new OodScoreSet("mnist", "S (png)", [1f], [2f]);
        var error = Assert.Throws<ArgumentException>(() => OodEvaluation.Evaluate("fashion", [set, set]));
        Assert.Contains("Score set 1 repeats out-set 'mnist' with method 'S (png)'", error.Message);
    }

    [Fact]
    public void RocCurveAreaEqualsMlNetAuroc()
    {
        var random = new Random(8);
        // Scores rounded to one decimal so that many in and out scores tie.
        var inScores = Enumerable.Range(0, 250).Select(_ => MathF.Round((float)random.NextDouble() * 3, 1)).ToArray();
        var outScores = Enumerable.Range(0, 150).Select(_ => MathF.Round((float)random.NextDouble() * 4, 1)).ToArray();

        var (fpr, tpr) = RocCurve.Points(inScores, outScores);

        Assert.Equal((0.0, 0.0), (fpr[0], tpr[0]));
        Assert.Equal((1.0, 1.0), (fpr[^1], tpr[^1]));
        Assert.Equal(OodMetrics.Compute(inScores, outScores).Auroc, RocCurve.Area(fpr, tpr), 9);
    }

    [Fact]
    public void SlugsAreFileSafeAndUnique()
    {
        Assert.Equal(
            ["mnist", "s-png", "log-likelihood", "data-mnist-test", "mnist-2", "set"],
            OodReport.UniqueSlugs(["MNIST", "S (png)", "-log-likelihood", "/data/mnist test", "mnist", "?!"]));
    }

    /// <summary>In scores like a model's bpd; "mnist" fools the likelihood, S separates it; "noise" is easy.</summary>
    private static List<OodScoreSet> ScoreSets()
    {
        var random = new Random(2);
        float[] Normal(int n, double mean, double sd) => Enumerable.Range(0, n)
            .Select(_ => (float)(mean + sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()))
                * Math.Cos(2 * Math.PI * random.NextDouble())))
            .ToArray();

        var inBpd = Normal(300, 3.0, 0.3);
        var inS = Normal(300, -2.0, 0.3);
        return
        [
            new OodScoreSet("mnist", OodScores.LikelihoodMethod, inBpd, Normal(200, 2.2, 0.3)),
            new OodScoreSet("mnist", OodScores.ComplexityMethod("png"), inS, Normal(200, -0.8, 0.3)),
            new OodScoreSet("noise", OodScores.LikelihoodMethod, inBpd, Normal(100, 9.0, 0.2)),
            new OodScoreSet("noise", OodScores.ComplexityMethod("png"), inS, Normal(100, 0.5, 0.2)),
        ];
    }
}
