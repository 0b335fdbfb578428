using GlowML.Onnx;
using GlowML.Ood;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GlowML.Tests.Onnx;

public class GlowOnnxOodColumnsTests(ExportedModelFixture fixture) : IClassFixture<ExportedModelFixture>
{
    [Fact]
    public void TheOptInColumnsAreTheEstimatorOnTheBytesAndBpdMinusIt()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(100));
        using var transformer = ml.Transforms.GlowOnnx(new GlowOnnxOptions
        {
            ModelPath = fixture.Files.ScorePath,
            ComplexityColumnName = "Complexity",
            OodScoreColumnName = "OodScore",
            BatchSize = 64,
        }).Fit(data);

        var scored = ml.Data.CreateEnumerable<OodRow>(transformer.Transform(data), reuseRowObject: false).ToArray();

        Assert.Equal(Enumerable.Range(0, 100), scored.Select(r => r.Index));
        Assert.Equal("png", transformer.ComplexityEstimator!.Name);
        Assert.InRange(OnnxTestData.MaxAbsDiff(scored.Select(r => r.BitsPerDim).ToArray(),
            fixture.Expected.BitsPerDim[..100]), 0, 1e-4);
        var png = new PngComplexity();
        foreach (var row in scored)
        {
            var bytes = Image(row.Index).Select(v => (byte)MathF.Round(v * 255)).ToArray();
            Assert.Equal((float)png.BitsPerDimension(bytes, 1, 28, 28), row.Complexity);
            Assert.Equal(row.BitsPerDim - row.Complexity, row.OodScore, 1e-5f);
        }
    }

    [Fact]
    public void TheScorerAddsComplexityOnlyWhenGivenAnEstimator()
    {
        using var scorer = new OnnxGlowScorer(fixture.Files.ScorePath, batchSize: 16);
        var pixels = fixture.Pixels[..(40 * 784)];
        var plain = scorer.Score(pixels, 40);
        Assert.Null(plain.Complexity);
        Assert.Null(plain.OodScore);

        var webp = new WebpComplexity();
        var scores = scorer.Score(pixels, 40, webp);
        Assert.Equal(plain.BitsPerDim, scores.BitsPerDim);
        for (int i = 0; i < 40; i++)
        {
            var bytes = Image(i).Select(v => (byte)MathF.Round(v * 255)).ToArray();
            Assert.Equal((float)webp.BitsPerDimension(bytes, 1, 28, 28), scores.Complexity![i]);
            Assert.Equal(scores.BitsPerDim[i] - scores.Complexity[i], scores.OodScore![i], 1e-5f);
        }
    }

    [Fact]
    public void TheSchemaHasOnlyTheColumnsAskedFor()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(3));
        using var onlyScore = ml.Transforms.GlowOnnx(new GlowOnnxOptions
        {
            ModelPath = fixture.Files.ScorePath, OodScoreColumnName = "S", ComplexityEstimator = "webp",
        }).Fit(data);
        var schema = onlyScore.GetOutputSchema(data.Schema);
        Assert.Equal(new[] { "Index", "Pixels", "BitsPerDim", "LogLikelihood", "S" }, schema.Select(c => c.Name));
        var s = onlyScore.Transform(data).GetColumn<float>("S").ToArray();
        var bpd = onlyScore.Transform(data).GetColumn<float>("BitsPerDim").ToArray();
        var webp = new WebpComplexity();
        for (int i = 0; i < 3; i++)
        {
            var bytes = Image(i).Select(v => (byte)MathF.Round(v * 255)).ToArray();
            Assert.Equal((float)(bpd[i] - webp.BitsPerDimension(bytes, 1, 28, 28)), s[i], 1e-5f);
        }

        using var plain = ml.Transforms.GlowOnnx(fixture.Files.ScorePath).Fit(data);
        Assert.Null(plain.ComplexityEstimator);
        Assert.Equal(4, plain.GetOutputSchema(data.Schema).Count);

        // SchemaShape.Create is internal to ML.NET; a custom mapping's output describes the pixel rows publicly.
        var input = ml.Transforms.CustomMapping<NoRow, PixelRow>((_, _) => { }, null)
            .GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        var shape = ml.Transforms.GlowOnnx(new GlowOnnxOptions
        {
            ModelPath = fixture.Files.ScorePath, ComplexityColumnName = "L",
        }).GetOutputSchema(input);
        Assert.Equal(NumberDataViewType.Single, shape.Single(c => c.Name == "L").ItemType);
        Assert.DoesNotContain(shape, c => c.Name is "OodScore" or "Complexity");
    }

    [Fact]
    public void BadOptionsAreRefusedWithTheirNames()
    {
        var unknown = Assert.Throws<ArgumentException>(() => new GlowOnnxEstimator(new GlowOnnxOptions
        {
            ModelPath = fixture.Files.ScorePath, ComplexityColumnName = "L", ComplexityEstimator = "flif",
        }));
        Assert.Contains("'flif'", unknown.Message);

        var clash = Assert.Throws<ArgumentException>(() => new GlowOnnxEstimator(new GlowOnnxOptions
        {
            ModelPath = fixture.Files.ScorePath, OodScoreColumnName = "LogLikelihood",
        }));
        Assert.Contains("'LogLikelihood'", clash.Message);
    }

    private float[] Image(int index) => fixture.Pixels[(index * 784)..((index + 1) * 784)];

    private IEnumerable<PixelRow> Rows(int count) =>
        Enumerable.Range(0, count).Select(i => new PixelRow { Index = i, Pixels = Image(i) });

    private sealed class PixelRow
    {
        public int Index { get; set; }

        [VectorType(784)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    private sealed class NoRow
    {
    }

    private sealed class OodRow
    {
        public int Index { get; set; }

        public float BitsPerDim { get; set; }

        public float Complexity { get; set; }

        public float OodScore { get; set; }
    }
}
