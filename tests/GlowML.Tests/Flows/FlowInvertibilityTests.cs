using GlowML.Flows;
using GlowML.Model;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Flows;

public class FlowInvertibilityTests
{
    public static TheoryData<PermutationKind, CouplingKind, int, int, int, int, int> Cases()
    {
        var data = new TheoryData<PermutationKind, CouplingKind, int, int, int, int, int>();
        foreach (var p in Enum.GetValues<PermutationKind>())
        {
            foreach (var c in Enum.GetValues<CouplingKind>())
            {
                data.Add(p, c, 1, 8, 8, 2, 2);
                data.Add(p, c, 3, 8, 8, 3, 2);
                data.Add(p, c, 1, 9, 9, 2, 3);
                data.Add(p, c, 3, 24, 16, 2, 2);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReverseOfForwardReconstructsTheInput(PermutationKind permutation, CouplingKind coupling, int channels,
        int height, int width, int blocks, int factor)
    {
        var a = TinyModels.Architecture(channels, height, width, blocks, 2, factor, permutation, coupling);
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(a);
        var x = TinyModels.Images(a, 3);
        using var noGrad = no_grad();
        var encoding = model.Encode(x);
        var flat = encoding.FlatNoise();
        Assert.Equal(new long[] { 3, a.Dimensions }, flat.shape);
        var fromFlat = model.Decode(flat);
        var fromLevels = model.Decode(encoding.Noise);
        Assert.True((fromFlat - x).abs().max().item<float>() < 1e-4, "flat latent reconstruction");
        Assert.True((fromLevels - x).abs().max().item<float>() < 1e-4, "per-level latent reconstruction");
        Assert.True(encoding.LogDensity.isfinite().all().item<bool>());
    }

    [Fact]
    public void OddChannelCountsSplitUnevenly()
    {
        // One channel squeezed by 3 gives 9: the coupling keeps 4 and changes 5; the split passes 5 on, drops 4.
        var a = TinyModels.Architecture(1, 9, 9, blocks: 2, factor: 3);
        using var scope = NewDisposeScope();
        var model = new GlowModel(a, 3);
        Assert.Equal(9, model.Levels[0].Channels);
        Assert.Equal(4, model.Levels[0].SplitChannels);
        Assert.Equal(5, model.Levels[0].KeptChannels);
        Assert.Equal(new long[] { 4, 3, 3 }, model.LatentShapes[0]);
        Assert.Equal(new long[] { 45, 1, 1 }, model.LatentShapes[1]);
    }

    [Theory]
    [InlineData(30, 32, 2, 3, "30x32")]
    [InlineData(28, 28, 3, 2, "28x28")]
    [InlineData(32, 20, 4, 2, "32x20")]
    public void SidesThatDoNotDivideAreRefusedWithTheSizes(int height, int width, int blocks, int factor, string sizes)
    {
        var a = TinyModels.Architecture(1, height, width, blocks, factor: factor);
        var e = Assert.Throws<ArgumentException>(() => new GlowModel(a));
        Assert.Contains(sizes, e.Message);
    }

    [Fact]
    public void WrongInputShapeNamesExpectedAndActual()
    {
        var a = TinyModels.Architecture(3, 8, 8);
        using var scope = NewDisposeScope();
        var model = new GlowModel(a, 1);
        var e = Assert.Throws<ArgumentException>(() => model.Encode(zeros(2, 1, 8, 8)));
        Assert.Contains("[B, 3, 8, 8]", e.Message);
        Assert.Contains("[2, 1, 8, 8]", e.Message);
        var d = Assert.Throws<ArgumentException>(() => model.Decode(zeros(2, 10)));
        Assert.Contains("[B, 192]", d.Message);
    }

    [Fact]
    public void SqueezeRoundTripsAndMovesPixelsIntoChannels()
    {
        using var scope = NewDisposeScope();
        var x = arange(2 * 3 * 6 * 9, dtype: ScalarType.Float32).reshape(2, 3, 6, 9);
        var s = Squeeze.Apply(x, 3);
        Assert.Equal(new long[] { 2, 27, 2, 3 }, s.shape);
        // Channel c*f*f + i*f + j at (h, w) holds the input pixel (c, h*f + i, w*f + j).
        Assert.Equal(x[1, 2, 3 + 1, 6 + 2].item<float>(), s[1, 2 * 9 + 1 * 3 + 2, 1, 2].item<float>());
        Assert.True(Squeeze.Invert(s, 3).eq(x).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Squeeze(1));
    }
}
