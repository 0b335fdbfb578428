using GlowML.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GlowML.Tests.Onnx;

public class GlowOnnxMlNetTests(ExportedModelFixture fixture) : IClassFixture<ExportedModelFixture>
{
    [Fact]
    public void GlowOnnxTransformScoresInBatchesAndKeepsRowsInOrder()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(100));
        using var transformer = ml.Transforms.GlowOnnx(fixture.Files.ScorePath, batchSize: 64).Fit(data);

        var scored = ml.Data.CreateEnumerable<ScoredRow>(transformer.Transform(data), reuseRowObject: false).ToArray();

        Assert.Equal(2, transformer.Scorer.ScoreRuns);
        Assert.Equal(Enumerable.Range(0, 100), scored.Select(r => r.Index));
        Assert.InRange(OnnxTestData.MaxAbsDiff(scored.Select(r => r.BitsPerDim).ToArray(),
            fixture.Expected.BitsPerDim[..100]), 0, 1e-4);
        Assert.InRange(OnnxTestData.MaxAbsDiff(scored.Select(r => r.LogLikelihood).ToArray(),
            fixture.Expected.LogLikelihood[..100]), 0, 0.05);
    }

    [Fact]
    public void TheEstimatorDescribesItsOutputColumns()
    {
        var ml = new MLContext(seed: 1);
        // SchemaShape.Create is internal to ML.NET; a custom mapping's output describes the pixel rows publicly.
        var input = ml.Transforms.CustomMapping<NoRow, PixelRow>((_, _) => { }, null)
            .GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        var estimator = ml.Transforms.GlowOnnx(fixture.Files.ScorePath, bitsPerDimColumnName: "Bpd");
        var shape = estimator.GetOutputSchema(input);
        var bpd = shape.Single(c => c.Name == "Bpd");
        Assert.Equal(NumberDataViewType.Single, bpd.ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.Scalar, bpd.Kind);
        Assert.Contains(shape, c => c.Name == "LogLikelihood");
        Assert.Contains(shape, c => c.Name == "Pixels");
    }

    [Fact]
    public void ApplyOnnxModelRunsTheScoreGraphRowByRow()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 16)
            .Select(i => new OnnxRow { pixels = fixture.Pixels[(i * 784)..((i + 1) * 784)] }));
        var pipeline = ml.Transforms.ApplyOnnxModel(new[] { "bits_per_dim", "log_likelihood" }, new[] { "pixels" },
            fixture.Files.ScorePath);
        using var model = pipeline.Fit(data);
        var rows = ml.Data.CreateEnumerable<OnnxScoredRow>(model.Transform(data), reuseRowObject: false).ToArray();
        Assert.InRange(OnnxTestData.MaxAbsDiff(rows.Select(r => r.bits_per_dim.Single()).ToArray(),
            fixture.Expected.BitsPerDim[..16]), 0, 1e-4);
    }

    [Fact]
    public void AColumnOfTheWrongSizeIsRefusedWhenFitting()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new SmallRow { Pixels = new float[100] } });
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.GlowOnnx(fixture.Files.ScorePath).Fit(data));
        Assert.Contains("'Pixels' holds 100 values", e.Message);
        Assert.Contains("1x28x28 = 784", e.Message);
    }

    [Fact]
    public void AMissingColumnIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(1));
        var e = Assert.Throws<ArgumentException>(() =>
            ml.Transforms.GlowOnnx(fixture.Files.ScorePath, inputColumnName: "Image").Fit(data));
        Assert.Contains("no column 'Image'", e.Message);
        Assert.Contains("Pixels", e.Message);
    }

    private IEnumerable<PixelRow> Rows(int count) => Enumerable.Range(0, count)
        .Select(i => new PixelRow { Index = i, Pixels = fixture.Pixels[(i * 784)..((i + 1) * 784)] });

    private sealed class PixelRow
    {
        public int Index { get; set; }

        [VectorType(784)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    private sealed class NoRow
    {
    }

    private sealed class ScoredRow
    {
        public int Index { get; set; }

        public float BitsPerDim { get; set; }

        public float LogLikelihood { get; set; }
    }

    private sealed class SmallRow
    {
        [VectorType(100)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    // ONNX names: the columns must be called as the graph's inputs and outputs.
#pragma warning disable IDE1006
    private sealed class OnnxRow
    {
        [VectorType(1, 28, 28)]
        public float[] pixels { get; set; } = Array.Empty<float>();
    }

    private sealed class OnnxScoredRow
    {
        public float[] bits_per_dim { get; set; } = Array.Empty<float>();
    }
#pragma warning restore IDE1006
}
