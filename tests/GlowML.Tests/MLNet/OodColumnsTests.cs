using GlowML.MLNet;
using GlowML.Model;
using GlowML.Ood;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using Xunit.Abstractions;

namespace GlowML.Tests.MLNet;

public class OodColumnsTests(OodColumnsFixture fixture, ITestOutputHelper output) : IClassFixture<OodColumnsFixture>
{
    /// <summary>What a prediction engine returns with the opt-in columns.</summary>
    public sealed class OodPrediction
    {
        public float BitsPerDim { get; set; }

        public float Complexity { get; set; }

        public float OodScore { get; set; }
    }

    [Fact]
    public void ComplexityIsThePngOfTheBytesAndOodScoreIsBpdMinusComplexity()
    {
        var ml = fixture.Context;
        var rows = fixture.Fashion.Take(50).ToArray();
        var scored = fixture.Transformer.Transform(ml.Data.LoadFromEnumerable(rows));
        var bpd = MLNetFixtures.Column(scored, "BitsPerDim");
        var complexity = MLNetFixtures.Column(scored, "Complexity");
        var ood = MLNetFixtures.Column(scored, "OodScore");
        Assert.Equal(50, ood.Length);

        var png = new PngComplexity();
        for (int i = 0; i < rows.Length; i++)
        {
            var bytes = rows[i].Pixels.Select(v => (byte)MathF.Round(v * 255)).ToArray();
            Assert.Equal((float)png.BitsPerDimension(bytes, 1, 28, 28), complexity[i]);
            Assert.Equal(bpd[i] - complexity[i], ood[i], 1e-5f);
        }

        // The flow's own columns do not change when the complexity ones are added.
        // Not disposed: it shares the fixture's model, which disposing would free.
        var plain = GlowTransformer.FromModel(fixture.Transformer.Model, new GlowColumns(), batchSize: 24);
        Assert.Equal(bpd, MLNetFixtures.Column(plain.Transform(ml.Data.LoadFromEnumerable(rows)), "BitsPerDim"));
        Assert.Null(plain.Transform(ml.Data.LoadFromEnumerable(rows)).Schema.GetColumnOrNull("Complexity"));
    }

    [Fact]
    public void ThePredictionEngineGivesTheTransformsValues()
    {
        var ml = fixture.Context;
        var rows = fixture.Mnist.Take(20).ToArray();
        var scored = fixture.Transformer.Transform(ml.Data.LoadFromEnumerable(rows));
        var complexity = MLNetFixtures.Column(scored, "Complexity");
        var ood = MLNetFixtures.Column(scored, "OodScore");
        using var engine = ml.Model.CreatePredictionEngine<OodColumnsFixture.PixelRow, OodPrediction>(
            fixture.Transformer, new PredictionEngineOptions { OwnsTransformer = false });
        for (int i = 0; i < rows.Length; i++)
        {
            var prediction = engine.Predict(rows[i]);
            Assert.Equal(complexity[i], prediction.Complexity);
            Assert.Equal(ood[i], prediction.OodScore, 1e-4f);
            Assert.Equal(prediction.BitsPerDim - prediction.Complexity, prediction.OodScore, 1e-5f);
        }
    }

    [Fact]
    public void SavingKeepsTheColumnsAndTheEstimator()
    {
        var ml = fixture.Context;
        var data = ml.Data.LoadFromEnumerable(fixture.Fashion.Take(30));
        var columns = new GlowColumns { OodScore = "S", Complexity = "L", ComplexityEstimator = "webp" };
        // Not disposed: it shares the fixture's model, which disposing would free.
        var webp = GlowTransformer.FromModel(fixture.Transformer.Model, columns, batchSize: 16);
        var expected = MLNetFixtures.Column(webp.Transform(data), "S");
        var expectedL = MLNetFixtures.Column(webp.Transform(data), "L");
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "webp.glow");
        webp.Save(path);

        using var loaded = GlowTransformer.Load(path);
        Assert.Equal(columns, loaded.Columns);
        Assert.Equal("webp", loaded.ComplexityEstimator!.Name);
        Assert.Equal(expected, MLNetFixtures.Column(loaded.Transform(data), "S"));
        // WebP on 28x28 grey images costs more than PNG (see WebpComplexity), so the estimator really changed.
        var png = MLNetFixtures.Column(fixture.Transformer.Transform(data), "Complexity");
        Assert.True(expectedL.Average() > png.Average() + 0.2,
            $"webp mean {expectedL.Average():F3} vs png mean {png.Average():F3}");
    }

    [Fact]
    public void ChainsSavedWithGlowKeepTheColumns()
    {
        var ml = fixture.Context;
        var data = ml.Data.LoadFromEnumerable(fixture.Mnist.Take(30));
        var chain = new TransformerChain<ITransformer>(
            ml.Transforms.CopyColumns("Copy", "Pixels").Fit(data), fixture.Transformer);
        var expected = MLNetFixtures.Column(chain.Transform(data), "OodScore");
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "chain.zip");
        ml.Model.SaveWithGlow(chain, data.Schema, path);

        var fresh = new MLContext();
        var loaded = fresh.Model.LoadWithGlow(path, out _);
        var scored = loaded.Transform(fresh.Data.LoadFromEnumerable(fixture.Mnist.Take(30)));
        Assert.Equal(expected, MLNetFixtures.Column(scored, "OodScore"));
        Assert.Equal(MLNetFixtures.Column(chain.Transform(data), "Complexity"),
            MLNetFixtures.Column(scored, "Complexity"));
        foreach (var transformer in ((TransformerChain<ITransformer>)loaded).OfType<IDisposable>())
        {
            transformer.Dispose();
        }
    }

    [Fact]
    public void RawByteInputGivesTheSameComplexity()
    {
        var ml = fixture.Context;
        var rows = fixture.Fashion.Take(10).ToArray();
        var raw = rows.Select(r => new OodColumnsFixture.PixelRow
        {
            Pixels = r.Pixels.Select(v => v * 255f).ToArray(),
        });
        var columns = new GlowColumns { Complexity = "Complexity", OodScore = "OodScore" };
        // Not disposed: it shares the fixture's model, which disposing would free.
        var bytes = GlowTransformer.FromModel(fixture.Transformer.Model, columns, PixelRange.Bytes);
        var expected = fixture.Transformer.Transform(ml.Data.LoadFromEnumerable(rows));
        var actual = bytes.Transform(ml.Data.LoadFromEnumerable(raw));
        Assert.Equal(MLNetFixtures.Column(expected, "Complexity"), MLNetFixtures.Column(actual, "Complexity"));
        Assert.Equal(MLNetFixtures.Column(expected, "OodScore"), MLNetFixtures.Column(actual, "OodScore"),
            new FloatTolerance(1e-4f));
    }

    [Fact]
    public void MnistScoresHigherThanFashionMnistOnceComplexityIsSubtracted()
    {
        var ml = fixture.Context;
        var fashion = fixture.Transformer.Transform(ml.Data.LoadFromEnumerable(fixture.Fashion));
        var mnist = fixture.Transformer.Transform(ml.Data.LoadFromEnumerable(fixture.Mnist));
        double Mean(IDataView view, string column) => MLNetFixtures.Column(view, column).Average();
        output.WriteLine($"Fashion-MNIST: bpd {Mean(fashion, "BitsPerDim"):F3}, L {Mean(fashion, "Complexity"):F3}, "
            + $"S {Mean(fashion, "OodScore"):F3}");
        output.WriteLine($"MNIST:         bpd {Mean(mnist, "BitsPerDim"):F3}, L {Mean(mnist, "Complexity"):F3}, "
            + $"S {Mean(mnist, "OodScore"):F3}");
        // Measured 4.53 vs 2.05 bits/dim: a tiny model's bits/dim hardly tells the sets apart (7.45 both), but
        // digits compress far better than clothes, so S separates them by more than two bits.
        Assert.True(Mean(mnist, "OodScore") > Mean(fashion, "OodScore") + 1.0);
    }

    [Fact]
    public void BadColumnSettingsAreRefusedWithTheirNames()
    {
        var unknown = Assert.Throws<ArgumentException>(() => GlowTransformer.FromModel(fixture.Transformer.Model,
            new GlowColumns { OodScore = "S", ComplexityEstimator = "flif" }));
        Assert.Contains("'flif'", unknown.Message);
        Assert.Contains("png, webp", unknown.Message);

        var clash = Assert.Throws<ArgumentException>(() => GlowTransformer.FromModel(fixture.Transformer.Model,
            new GlowColumns { Complexity = "BitsPerDim" }));
        Assert.Contains("'BitsPerDim'", clash.Message);

        var empty = Assert.Throws<ArgumentException>(() => fixture.Context.Transforms.Glow(
            new GlowEstimator.Options { OodScoreColumnName = " " }));
        Assert.Contains("OodScore", empty.Message);

        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "bad.glow");
        GlowModelFile.Save(fixture.Transformer.Model, path, new Dictionary<string, string>
        {
            ["mlnet.ood_score"] = "S", ["mlnet.complexity_estimator"] = "flif",
        }, kind: "mlnet-transformer");
        var file = Assert.Throws<InvalidDataException>(() => GlowTransformer.Load(path));
        Assert.Contains(path, file.Message);
        Assert.Contains("'flif'", file.Message);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
