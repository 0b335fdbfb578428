using GlowML.Onnx;
using Google.Protobuf;
using Onnx;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Onnx;

public class OnnxGlowScorerTests(ExportedModelFixture fixture) : IClassFixture<ExportedModelFixture>
{
    [Fact]
    public void ScoresInBatchesAndMatchesTorchSharp()
    {
        using var scorer = new OnnxGlowScorer(fixture.Files.ScorePath, batchSize: 32);
        var pixels = fixture.Pixels.AsSpan(0, 70 * 784).ToArray();

        var scores = scorer.Score(pixels, 70);

        Assert.Equal(3, scorer.ScoreRuns);
        Assert.Equal((1, 28, 28, 8), (scorer.Channels, scorer.Height, scorer.Width, scorer.PixelDepth));
        Assert.Equal("3", scorer.Metadata["epoch"]);
        Assert.InRange(OnnxTestData.MaxAbsDiff(scores.BitsPerDim, fixture.Expected.BitsPerDim[..70]), 0, 1e-4);
        Assert.InRange(OnnxTestData.MaxAbsDiff(scores.LogLikelihood, fixture.Expected.LogLikelihood[..70]), 0, 0.05);
        Assert.InRange(OnnxTestData.MaxAbsDiff(scores.Latent, fixture.Expected.Latent[..(70 * 784)]), 0, 1e-3);
        // log-likelihood and bits/dim are one number in two units: ll = -bpd * D ln 2.
        for (int i = 0; i < 70; i++)
        {
            Assert.Equal(-scores.BitsPerDim[i] * 784 * Math.Log(2), scores.LogLikelihood[i], 0.01);
        }
    }

    [Fact]
    public void PixelsOfTheWrongShapeAreRefusedWithBothShapes()
    {
        using var scorer = new OnnxGlowScorer(fixture.Files.ScorePath);
        var e = Assert.Throws<ArgumentException>(() => scorer.Score(new float[3 * 32 * 32], 1));
        Assert.Contains("[1, 1, 28, 28]", e.Message);
        Assert.Contains("784", e.Message);
        Assert.Contains("3072", e.Message);
        Assert.Contains(fixture.Files.ScorePath, e.Message);
    }

    [Fact]
    public void AnOnnxModelWithoutGlowMetadataIsRefusedByName()
    {
        var path = Path.Combine(OnnxTestData.TempDir(), "identity.onnx");
        File.WriteAllBytes(path, IdentityModel().ToByteArray());
        var e = Assert.Throws<InvalidDataException>(() => new OnnxGlowScorer(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("without GlowML metadata", e.Message);
    }

    [Fact]
    public void AFileThatIsNotOnnxIsRefusedByName()
    {
        var path = Path.Combine(OnnxTestData.TempDir(), "noise.onnx");
        File.WriteAllBytes(path, Enumerable.Range(0, 500).Select(i => (byte)(i * 37)).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => new OnnxGlowScorer(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("cannot load", e.Message);
    }

    [Fact]
    public void TheSampleGraphIsNotTakenForTheScoreGraph()
    {
        var e = Assert.Throws<InvalidDataException>(() => new OnnxGlowScorer(fixture.Files.SamplePath));
        Assert.Contains("is a GlowML sample graph", e.Message);
    }

    [Fact]
    public void SamplingIsSeededAndTemperatureZeroGivesThePriorMean()
    {
        using var scorer = OnnxGlowScorer.FromDirectory(fixture.Directory);
        Assert.True(scorer.CanSample);

        var first = scorer.Sample(3, temperature: 0.7f, seed: 5);
        Assert.Equal(first, scorer.Sample(3, temperature: 0.7f, seed: 5));
        Assert.NotEqual(first, scorer.Sample(3, temperature: 0.7f, seed: 6));
        Assert.All(first, p => Assert.InRange(p, 0f, 1f));

        var mean = scorer.Sample(2, temperature: 0f, seed: 9);
        float[] expected;
        using (NewDisposeScope())
        using (no_grad())
        {
            expected = fixture.Model.Decode(zeros(1, 784)).clamp(0, 1).data<float>().ToArray();
        }

        Assert.InRange(OnnxTestData.MaxAbsDiff(mean[..784], expected), 0, 1e-4);
        Assert.InRange(OnnxTestData.MaxAbsDiff(mean[784..], expected), 0, 1e-4);
    }

    [Fact]
    public void TheScorerAssemblyNeedsNeitherTorchSharpNorGlowML()
    {
        var references = typeof(OnnxGlowScorer).Assembly.GetReferencedAssemblies().Select(r => r.Name!).ToArray();
        Assert.Contains("Microsoft.ML.OnnxRuntime", references);
        Assert.DoesNotContain(references, r => r.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain("GlowML", references);
    }

    /// <summary>A valid ONNX model (y = x) that GlowML did not make.</summary>
    private static ModelProto IdentityModel()
    {
        ValueInfoProto Value(string name) => new()
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimValue = 4 } } },
                },
            },
        };
        var graph = new GraphProto { Name = "identity" };
        graph.Input.Add(Value("pixels"));
        graph.Output.Add(Value("y"));
        graph.Node.Add(new NodeProto { OpType = "Identity", Input = { "pixels" }, Output = { "y" } });
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        return model;
    }
}
