using GlowML.Ood;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Ood;

public class SyntheticOutSetsTests
{
    [Fact]
    public void ConstantImagesHaveOneColourEach()
    {
        using var set = SyntheticOutSets.Constant(50, 3, 8, 6, seed: 4);
        using var scope = NewDisposeScope();

        Assert.Equal(new long[] { 50, 3, 8, 6 }, set.Pixels.shape);
        Assert.Equal(ScalarType.Byte, set.Pixels.dtype);
        Assert.Equal("constant", set.Source);
        var flat = set.Pixels.reshape(50, 3, 48).to(ScalarType.Int32);
        Assert.True(flat.amax(2).equal(flat.amin(2)).all().item<bool>(), "Each channel of each image is one value.");
        var colours = flat[.., .., 0].reshape(-1).data<int>().ToArray();
        Assert.True(colours.Distinct().Count() > 100, "150 colour channels drawn from 256 values.");
    }

    [Fact]
    public void NoiseIsUniformOverAllBytes()
    {
        using var set = SyntheticOutSets.Noise(40, 1, 28, 28, seed: 4);
        using var scope = NewDisposeScope();

        Assert.Equal(new long[] { 40, 1, 28, 28 }, set.Pixels.shape);
        var values = set.Pixels.reshape(-1).data<byte>().ToArray();
        Assert.Equal(256, values.Distinct().Count());
        Assert.InRange(values.Average(b => (double)b), 125.0, 130.0); // 31,360 draws: sd of the mean is 0.4
    }

    [Fact]
    public void SetsAreReproducibleFromTheSeed()
    {
        using var a = SyntheticOutSets.Noise(3, 1, 5, 5, seed: 9);
        using var b = SyntheticOutSets.Noise(3, 1, 5, 5, seed: 9);
        using var c = SyntheticOutSets.Noise(3, 1, 5, 5, seed: 10);

        Assert.True(a.Pixels.equal(b.Pixels).all().item<bool>());
        Assert.False(a.Pixels.equal(c.Pixels).all().item<bool>());
    }

    [Fact]
    public void ConstantSetIsFarSimplerThanNoiseSet()
    {
        using var constant = SyntheticOutSets.Create("constant", 16, 1, 28, 28, seed: 1)!;
        using var noise = SyntheticOutSets.Create("NOISE", 16, 1, 28, 28, seed: 1)!;
        var png = new PngComplexity();

        Assert.All(png.BitsPerDimension(constant.Pixels), l => Assert.InRange(l, 0.5, 1.0));
        Assert.All(png.BitsPerDimension(noise.Pixels), l => Assert.InRange(l, 8.0, 9.5));
        Assert.Null(SyntheticOutSets.Create("mnist", 16, 1, 28, 28, seed: 1));
    }

    [Fact]
    public void EmptyShapesAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => SyntheticOutSets.Noise(0, 1, 28, 28, seed: 1));
        Assert.Contains("count 0", error.Message);
    }
}
