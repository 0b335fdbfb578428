using System.Text.Json;
using GlowML.Flows;
using GlowML.Model;
using GlowML.Onnx;
using GlowML.Tests.Flows;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Onnx;

public class OnnxExportParityTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<PermutationKind, CouplingKind, int> Kinds()
    {
        var data = new TheoryData<PermutationKind, CouplingKind, int>();
        foreach (var p in Enum.GetValues<PermutationKind>())
        {
            foreach (var c in Enum.GetValues<CouplingKind>())
            {
                data.Add(p, c, 1);
                data.Add(p, c, 3);
            }
        }

        return data;
    }

    [Fact]
    public void ScoreGraphMatchesTorchSharpOn256FashionMnistImages()
    {
        var a = TinyModels.Architecture(1, 28, 28, blocks: 2, flows: 3);
        using var scope = NewDisposeScope();
        var pixels = OnnxTestData.FashionMnist(256);
        var model = OnnxTestData.Model(a, pixels, seed: 5);
        var files = GlowOnnxExporter.Export(model, OnnxTestData.TempDir());

        var onnx = OnnxTestData.Run(files.ScorePath, "pixels", pixels, 256, 1, 28, 28);
        var torch = OnnxTestData.Torch(model, pixels);

        Assert.Equal(256, onnx["bits_per_dim"].Length);
        Assert.InRange(OnnxTestData.MaxAbsDiff(onnx["bits_per_dim"], torch.BitsPerDim), 0, Tolerance);
        // log-likelihood is bpd * D ln 2 (about 543 for D = 784), so its tolerance scales with it.
        Assert.InRange(OnnxTestData.MaxAbsDiff(onnx["log_likelihood"], torch.LogLikelihood), 0, Tolerance * 543);
        Assert.InRange(OnnxTestData.MaxAbsDiff(onnx["latent"], torch.Latent), 0, 1e-3);
        // A perturbed tiny model still gives the real images a finite, plausible bits/dim.
        Assert.All(onnx["bits_per_dim"], b => Assert.InRange(b, 0.5f, 30f));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BothGraphsMatchTorchSharpForEveryPermutationAndCoupling(PermutationKind permutation,
        CouplingKind coupling, int channels)
    {
        int side = channels == 1 ? 28 : 32;
        var a = TinyModels.Architecture(channels, side, side, blocks: 2, flows: 2, permutation: permutation,
            coupling: coupling);
        using var scope = NewDisposeScope();
        const int count = 12;
        var pixels = OnnxTestData.Images(a, count);
        var model = OnnxTestData.Model(a, pixels, seed: 11);
        var files = GlowOnnxExporter.Export(model, OnnxTestData.TempDir());

        var scored = OnnxTestData.Run(files.ScorePath, "pixels", pixels, count, channels, side, side);
        var torch = OnnxTestData.Torch(model, pixels);
        Assert.InRange(OnnxTestData.MaxAbsDiff(scored["bits_per_dim"], torch.BitsPerDim), 0, Tolerance);

        // Sampling: the same standard-normal z through both directions.
        var z = randn(new long[] { count, a.Dimensions }, generator: new TorchSharp.torch.Generator(3));
        float[] expected;
        using (no_grad())
        {
            expected = model.Decode(z).clamp(0, 1).contiguous().data<float>().ToArray();
        }

        var sampled = OnnxTestData.Run(files.SamplePath, "latent", z.data<float>().ToArray(), count, a.Dimensions);
        Assert.InRange(OnnxTestData.MaxAbsDiff(sampled["pixels"], expected), 0, Tolerance);

        // sample(score(x).latent) gives back the bin centres of x.
        var back = OnnxTestData.Run(files.SamplePath, "latent", scored["latent"], count, a.Dimensions)["pixels"];
        var centres = Quantization.BinCentres(tensor(pixels, new long[] { count, channels, side, side }), 8)
            .data<float>().ToArray();
        Assert.InRange(OnnxTestData.MaxAbsDiff(back, centres), 0, Tolerance);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    public void ScoreGraphQuantisesToThePixelDepthAsTorchSharpDoes(int pixelDepth)
    {
        var a = TinyModels.Architecture(1, 28, 28, blocks: 2, flows: 1, pixelDepth: pixelDepth,
            permutation: PermutationKind.Reverse);
        using var scope = NewDisposeScope();
        var pixels = OnnxTestData.FashionMnist(16);
        var model = OnnxTestData.Model(a, pixels, seed: 2);
        var files = GlowOnnxExporter.Export(model, OnnxTestData.TempDir());

        var onnx = OnnxTestData.Run(files.ScorePath, "pixels", pixels, 16, 1, 28, 28);
        var torch = OnnxTestData.Torch(model, pixels);
        Assert.InRange(OnnxTestData.MaxAbsDiff(onnx["bits_per_dim"], torch.BitsPerDim), 0, Tolerance);
    }

    [Fact]
    public void OneLevelModelsExportToo()
    {
        var a = TinyModels.Architecture(1, 28, 28, blocks: 1, flows: 2, learnTop: false);
        using var scope = NewDisposeScope();
        var pixels = OnnxTestData.FashionMnist(8);
        var model = OnnxTestData.Model(a, pixels, seed: 4);
        var files = GlowOnnxExporter.Export(model, OnnxTestData.TempDir());
        var onnx = OnnxTestData.Run(files.ScorePath, "pixels", pixels, 8, 1, 28, 28);
        Assert.InRange(OnnxTestData.MaxAbsDiff(onnx["bits_per_dim"], OnnxTestData.Torch(model, pixels).BitsPerDim),
            0, Tolerance);
    }

    [Fact]
    public void ActNormsAreFoldedIntoTheConvolutions()
    {
        // Per affine step the graph holds the mixing conv, three network convs, two ReLUs, two Splits, Softplus,
        // Add, Exp, Div, Concat and the log-det ReduceSum and Sub: 15 nodes. An ActNorm left unfolded would add
        // at least an Add and a Mul per ActNorm (three per step).
        var a = TinyModels.Architecture(1, 28, 28, blocks: 2, flows: 3);
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(a);
        var graph = GlowOnnxExporter.BuildScoreModel(model).Graph;
        int steps = a.NumBlocks * a.NumFlows;
        int splits = a.NumBlocks - 1;
        Assert.Equal(4 * steps + splits, graph.Node.Count(n => n.OpType == "Conv"));
        Assert.Equal(0, graph.Node.Count(n => n.OpType is "Inverse" or "Neg"));
        // Quantisation 5, squeezes 3 per level, steps 15, split prior 8, top prior 2, a Flatten per level,
        // the latent Concat and the likelihood 5: anything beyond means an unfolded layer.
        int expected = 5 + 3 * a.NumBlocks + 15 * steps + 8 * splits + 2 + a.NumBlocks + 1 + 5;
        Assert.Equal(expected, graph.Node.Count);
    }

    [Fact]
    public void GraphsCarryTheModelsMetadata()
    {
        var a = TinyModels.Architecture(3, 32, 32, pixelDepth: 5);
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(a);
        var extra = new Dictionary<string, string> { ["epoch"] = "12", ["channels"] = "99" };
        foreach (var proto in new[] { GlowOnnxExporter.BuildScoreModel(model, extra),
                     GlowOnnxExporter.BuildSampleModel(model, extra) })
        {
            var meta = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(17, proto.OpsetImport.Single().Version);
            Assert.Equal("3", meta["channels"]);
            Assert.Equal("32", meta["height"]);
            Assert.Equal("32", meta["width"]);
            Assert.Equal("5", meta["pixel_depth"]);
            Assert.Equal("12", meta["epoch"]);
            Assert.Equal(GlowOnnxExporter.GlowMLVersion, meta["glowml_version"]);
            var config = JsonSerializer.Deserialize<GlowArchitecture>(meta["config"], GlowJson.Options);
            Assert.Equal(a, config);
        }
    }

    [Fact]
    public void AModelWhoseActNormsNeverSawDataIsRefused()
    {
        var a = TinyModels.Architecture(1, 8, 8);
        using var scope = NewDisposeScope();
        var model = new GlowModel(a, 1);
        var e = Assert.Throws<InvalidOperationException>(() => GlowOnnxExporter.Export(model, OnnxTestData.TempDir()));
        Assert.Contains("level 0 step 0 ActNorm", e.Message);
    }
}
