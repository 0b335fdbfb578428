using System.Buffers.Binary;
using GlowML.Data;
using GlowML.Model;
using GlowML.Ood;
using GlowML.Tests.Flows;
using GlowML.Training;
using Xunit;
using static TorchSharp.torch;

// Not GlowML.Tests.Evaluation: a namespace of that name would hide the class GlowML.Training.Evaluation.
namespace GlowML.Tests.Ood;

/// <summary>The orchestration behind <c>glow ood</c> on a tiny Glow over real Fashion-MNIST against MNIST and the
/// synthetic sets.</summary>
public class OodEvaluationRunnerTests
{
    private static readonly GlowArchitecture Grey28 = TinyModels.Architecture(height: 28, width: 28);

    [Fact]
    public void ScoresAreBitsPerDimAndBitsPerDimMinusComplexityImageByImage()
    {
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(Grey28);
        using var inSet = DatasetSpec.Load("fashion-mnist", TestPaths.SharedData, Grey28, 48, 0);
        using var mnist = DatasetSpec.Load("mnist", TestPaths.SharedData, Grey28, 40, 0);
        using var constant = DatasetSpec.Load("constant", TestPaths.SharedData, Grey28, 48, 0);
        IComplexityEstimator[] estimators = [new PngComplexity(), new WebpComplexity()];

        var scores = OodEvaluationRunner.Score(model, inSet, [mnist, constant], estimators, batchSize: 16);

        string[] methods = ["-log-likelihood", "S (png)", "S (webp)"];
        Assert.Equal(["mnist", "mnist", "mnist", "constant", "constant", "constant"], scores.Select(s => s.OutSet));
        Assert.Equal(methods.Concat(methods), scores.Select(s => s.Method));
        foreach (var (set, offset) in new[] { (mnist, 0), (constant, 3) })
        {
            // Independent recomputation: bpd with another batch size, L straight from each compressor.
            var inBpd = Evaluation.BitsPerDim(model, inSet.Images, batchSize: 48);
            var outBpd = Evaluation.BitsPerDim(model, set.Images, batchSize: 7);
            AssertClose(inBpd, scores[offset].InScores);
            AssertClose(outBpd, scores[offset].OutScores);
            for (int e = 0; e < estimators.Length; e++)
            {
                var score = scores[offset + 1 + e];
                AssertClose(Minus(inBpd, Complexity(estimators[e], inSet.Images)), score.InScores);
                AssertClose(Minus(outBpd, Complexity(estimators[e], set.Images)), score.OutScores);
            }
        }

        // S exactly equals the reported bpd minus L (one rounding to float), whatever the batching.
        var png = Complexity(estimators[0], constant.Images);
        for (int i = 0; i < png.Length; i++)
        {
            Assert.Equal((float)(scores[3].OutScores[i] - png[i]), scores[4].OutScores[i]);
        }

        // A constant image compresses better than any garment, so S moves it up relative to the in-set.
        double simplestGarment = Complexity(estimators[0], inSet.Images).Min();
        Assert.All(png, l => Assert.True(l < simplestGarment, $"constant L {l}, simplest garment {simplestGarment}"));
    }

    [Fact]
    public void RunWritesEveryRowAndFigureWithSyntheticSetsSizedLikeTheInSet()
    {
        using var scope = NewDisposeScope();
        using var folder = TestPaths.NewTempFolder();
        var inFile = WriteIdx(Path.Combine(folder.Path, "twenty.idx"), TestPaths.FashionMnist, 20);
        var reportDirectory = Path.Combine(folder.Path, "report");
        var model = TinyModels.Trained(Grey28);
        var lines = new List<string>();
        var request = new OodRequest
        {
            InSet = inFile,
            OutSets = ["mnist", "constant", "noise"],
            ReportDirectory = reportDirectory,
            Complexity = "all",
            Count = 32,
            DataPath = TestPaths.SharedData,
            BatchSize = 16,
        };

        var evaluation = OodEvaluationRunner.Run(model, request, lines.Add);

        var fromDisk = OodReport.Read(Path.Combine(reportDirectory, OodReport.JsonFile));
        Assert.Equal(inFile, fromDisk.InSet);
        Assert.Equal(["mnist", "constant", "noise"], fromDisk.OutSets.Select(o => o.OutSet));
        foreach (var outSet in fromDisk.OutSets)
        {
            Assert.Equal(["-log-likelihood", "S (png)", "S (webp)"], outSet.Methods.Select(m => m.Method));
            Assert.All(outSet.Methods, m =>
            {
                Assert.Equal(20, m.InCount);
                // The real out-set is capped by --count; the synthetic ones match the in-set's 20 images.
                Assert.Equal(outSet.OutSet == "mnist" ? 32 : 20, m.OutCount);
                Assert.InRange(m.Metrics.Auroc, 0, 1);
                Assert.InRange(m.Metrics.FprAt95Tpr, 0, 1);
            });
            Assert.True(File.Exists(Path.Combine(reportDirectory, $"roc-{outSet.OutSet}.png")));
            foreach (var slug in new[] { "log-likelihood", "s-png", "s-webp" })
            {
                var histogram = Path.Combine(reportDirectory, $"hist-{outSet.OutSet}-{slug}.png");
                Assert.True(new FileInfo(histogram).Length > 1000, histogram);
            }
        }

        Assert.Equal(evaluation.OutSets.SelectMany(o => o.Methods.Select(m => m.Metrics)),
            fromDisk.OutSets.SelectMany(o => o.Methods.Select(m => m.Metrics)));
        var markdown = File.ReadAllText(Path.Combine(reportDirectory, OodReport.MarkdownFile));
        Assert.Contains("## noise", markdown);
        Assert.Contains("| S (webp) |", markdown);
        Assert.Contains(lines, l => l.StartsWith("in-set ", StringComparison.Ordinal) && l.Contains("20 images"));
        Assert.Contains(lines, l => l.StartsWith("scored noise: 20 images", StringComparison.Ordinal));

        // The metrics are those of the scores: recompute the noise row of S (png) from its parts.
        using var inSet = DatasetSpec.Load(inFile, "unused", Grey28, 32, 0);
        using var noise = DatasetSpec.Load("noise", "unused", Grey28, 20, 0);
        var png = new PngComplexity();
        var expected = OodMetrics.Compute(
            OodScores.Score(Evaluation.BitsPerDim(model, inSet.Images, 16), Complexity(png, inSet.Images)),
            OodScores.Score(Evaluation.BitsPerDim(model, noise.Images, 16), Complexity(png, noise.Images)));
        Assert.Equal(expected, fromDisk.OutSets[2].Methods[1].Metrics);
    }

    [Fact]
    public void BadInputsAreRefusedByName()
    {
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(Grey28);
        using var inSet = DatasetSpec.Load("noise", "unused", Grey28, 4, 0);
        using var wrong = new NamedImageSet("rgb", SyntheticOutSets.Noise(4, 3, 28, 28, 0));
        using var other = new NamedImageSet("noise", SyntheticOutSets.Constant(4, 1, 28, 28, 0));
        IComplexityEstimator[] png = [new PngComplexity()];

        var shape = Assert.Throws<ArgumentException>(() => OodEvaluationRunner.Score(model, inSet, [wrong], png, 4));
        Assert.Contains("'rgb'", shape.Message);
        Assert.Contains("[3, 28, 28]", shape.Message);
        Assert.Contains("[1, 28, 28]", shape.Message);
        var twice = Assert.Throws<ArgumentException>(() =>
            OodEvaluationRunner.Score(model, inSet, [other, other], png, 4));
        Assert.Contains("'noise' is used more than once", twice.Message);
        Assert.Throws<ArgumentException>(() => OodEvaluationRunner.Score(model, inSet, [other], [], 4));

        var request = new OodRequest { InSet = "noise", OutSets = ["constant"], ReportDirectory = "r" };
        var complexity = Assert.Throws<ArgumentException>(() => (request with { Complexity = "zip" }).Validate());
        Assert.Contains("Complexity 'zip' is unknown; valid values: png, webp, all.", complexity.Message);
        var repeated = Assert.Throws<ArgumentException>(() =>
            (request with { OutSets = ["mnist", "MNIST"] }).Validate());
        Assert.Contains("'mnist' is given more than once", repeated.Message);
        Assert.Throws<ArgumentException>(() => (request with { Count = 0 }).Validate());
        Assert.Throws<ArgumentException>(() => (request with { OutSets = [] }).Validate());
    }

    private static double[] Complexity(IComplexityEstimator estimator, ImageSet images)
    {
        using var scope = NewDisposeScope();
        var bytes = images.Pixels.contiguous().data<byte>().ToArray();
        int size = images.Channels * images.Height * images.Width;
        return Enumerable.Range(0, (int)images.Count)
            .Select(i => estimator.BitsPerDimension(bytes.AsSpan(i * size, size), images.Channels, images.Height,
                images.Width))
            .ToArray();
    }

    private static float[] Minus(float[] bpd, double[] complexity) =>
        bpd.Select((b, i) => (float)(b - complexity[i])).ToArray();

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            // Batching changes float summation order only.
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>Writes the first <paramref name="count"/> Fashion-MNIST test images as an uncompressed IDX file.
    /// </summary>
    private static string WriteIdx(string path, string folder, int count)
    {
        using var source = IdxReader.ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), count);
        using var scope = NewDisposeScope();
        var pixels = source.Pixels.contiguous().data<byte>().ToArray();
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 28);
        File.WriteAllBytes(path, header.Concat(pixels).ToArray());
        return path;
    }
}
