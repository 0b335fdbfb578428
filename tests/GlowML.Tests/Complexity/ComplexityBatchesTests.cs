using GlowML.Ood;
using GlowML.Tests.Ood;
using Xunit;

namespace GlowML.Tests.Complexity;

public class ComplexityBatchesTests
{
    [Fact]
    public void TheComplexityAssemblyNeedsOnlySkiaSharp()
    {
        // GlowML.Onnx builds on it; a TorchSharp or ML.NET reference here would drag libtorch into ONNX-only apps.
        var references = typeof(PngComplexity).Assembly.GetReferencedAssemblies().Select(r => r.Name!).ToArray();
        Assert.Contains("SkiaSharp", references);
        Assert.DoesNotContain(references, r => r.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.ML", StringComparison.Ordinal));
        Assert.DoesNotContain("GlowML", references);
        Assert.Equal("GlowML.Complexity", typeof(IComplexityEstimator).Assembly.GetName().Name);
    }

    [Fact]
    public void ABatchGivesEachImageTheEstimatorsOwnValue()
    {
        byte[] images;
        using (var set = OodTestData.ReadIdxImages(OodTestData.FashionMnistTest, 12))
        {
            images = set.Pixels.data<byte>().ToArray();
        }

        foreach (var name in ComplexityEstimators.Names)
        {
            var estimator = ComplexityEstimators.Create(name);
            var batch = estimator.BitsPerDimension(images, 12, 1, 28, 28);
            Assert.Equal(12, batch.Length);
            for (int i = 0; i < 12; i++)
            {
                Assert.Equal(estimator.BitsPerDimension(images.AsSpan(i * 784, 784), 1, 28, 28), batch[i]);
            }

            // Real clothing images compress to somewhere between a blank image and noise.
            Assert.All(batch, l => Assert.InRange(l, 1.0, 8.0));
        }
    }

    [Fact]
    public void ABatchOfTheWrongLengthIsRefusedWithTheExpectedShape()
    {
        var png = new PngComplexity();
        var error = Assert.Throws<ArgumentException>(() => png.BitsPerDimension(new byte[784 * 2 + 1], 2, 1, 28, 28));
        Assert.Contains("[2, 1, 28, 28]", error.Message);
        Assert.Contains("1569", error.Message);
        Assert.Throws<ArgumentException>(() => png.BitsPerDimension(new byte[2 * 2 * 9], 2, 2, 3, 3));
    }

    [Fact]
    public void FloatPixelsBecomeTheBytesTheFlowQuantises()
    {
        var unit = new[] { 0f, 1f / 255f, 0.5f, 254.6f / 255f, 1f, -0.2f, 1.3f, float.NaN };
        var bytes = new byte[unit.Length];
        ComplexityBatches.ToBytes(unit, 255f, bytes);
        Assert.Equal(new byte[] { 0, 1, 128, 255, 255, 0, 255, 0 }, bytes);

        var raw = new[] { 0f, 17f, 17.4f, 200.5f, 300f };
        var rawBytes = new byte[raw.Length];
        ComplexityBatches.ToBytes(raw, 1f, rawBytes);
        // Round half to even, as torch.round does in Quantization.BinCentres.
        Assert.Equal(new byte[] { 0, 17, 17, 200, 255 }, rawBytes);
        Assert.Throws<ArgumentException>(() => ComplexityBatches.ToBytes(raw, 1f, new byte[4]));
    }
}
