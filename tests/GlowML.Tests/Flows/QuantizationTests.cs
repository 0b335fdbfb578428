using GlowML.Model;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Flows;

public class QuantizationTests
{
    [Fact]
    public void BinCentresRecoverBytesFloorThemAndCentreThem()
    {
        using var scope = NewDisposeScope();
        var bytes = new float[] { 0, 1, 7, 8, 128, 254, 255 };
        var x = tensor(bytes.Select(b => b / 255f).ToArray()).reshape(1, 1, 1, 7);
        var eight = BinCentresOf(x, 8);
        Assert.Equal(bytes.Select(b => (b + 0.5f) / 256f), eight);
        // 3 bits: levels are byte >> 5.
        var three = BinCentresOf(x, 3);
        Assert.Equal(bytes.Select(b => (((int)b >> 5) + 0.5f) / 8f), three);
    }

    private static float[] BinCentresOf(Tensor x, int depth) =>
        Quantization.BinCentres(x, depth).reshape(-1).data<float>().ToArray();
}
