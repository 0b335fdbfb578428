using GlowML.Ood;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Ood;

public class ComplexityEstimatorTests
{
    [Theory]
    [InlineData("png", 1, 28, 28)]
    [InlineData("webp", 1, 28, 28)]
    [InlineData("png", 3, 32, 32)]
    [InlineData("webp", 3, 32, 32)]
    public void ConstantImageIsFarBelowNoise(string name, int channels, int height, int width)
    {
        var estimator = ComplexityEstimators.Create(name);
        var constant = Enumerable.Repeat((byte)173, channels * height * width).ToArray();
        var noise = new byte[constant.Length];
        new Random(5).NextBytes(noise);

        double simple = estimator.BitsPerDimension(constant, channels, height, width);
        double complex = estimator.BitsPerDimension(noise, channels, height, width);

        // Uniform noise is incompressible (8 bits per dimension plus framing); a flat image is mostly framing.
        Assert.InRange(complex, 8.0, 9.5);
        Assert.InRange(simple, 0.01, 1.0);
    }

    [Theory]
    [InlineData("png", 1)]
    [InlineData("webp", 1)]
    [InlineData("png", 3)]
    [InlineData("webp", 3)]
    public void EncodingIsLosslessAndTheWholeFileIsCounted(string name, int channels)
    {
        const int height = 9, width = 13;
        var pixels = new byte[channels * height * width];
        new Random(11).NextBytes(pixels);

        var file = name == "png"
            ? PngComplexity.Encode(pixels, channels, height, width)
            : WebpComplexity.Encode(pixels, channels, height, width);
        using var decoded = SKBitmap.Decode(file);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    var colour = decoded.GetPixel(x, y);
                    byte got = c == 0 ? colour.Red : c == 1 ? colour.Green : colour.Blue;
                    Assert.Equal(pixels[(c * height + y) * width + x], got);
                }
            }
        }

        double bpd = ComplexityEstimators.Create(name).BitsPerDimension(pixels, channels, height, width);
        Assert.Equal(file.Length * 8.0 / pixels.Length, bpd, 12);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 2)]
    public void PngStoresGreyAsGreyAndRgbWithoutAlpha(int channels, byte expectedColourType)
    {
        var file = PngComplexity.Encode(new byte[channels * 4 * 4], channels, 4, 4);
        // IHDR is the first chunk: 8-byte signature, 4 length, 4 type, 4 width, 4 height, bit depth, colour type.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(file, 12, 4));
        Assert.Equal(8, file[24]);
        Assert.Equal(expectedColourType, file[25]);
    }

    [Fact]
    public void RealDigitsAreSimplerThanRealClothes()
    {
        using var fashion = OodTestData.ReadIdxImages(OodTestData.FashionMnistTest, 200);
        using var digits = OodTestData.ReadIdxImages(OodTestData.MnistTest, 200);
        foreach (var estimator in ComplexityEstimators.Names.Select(ComplexityEstimators.Create))
        {
            double fashionMean = estimator.BitsPerDimension(fashion.Pixels).Average();
            double digitsMean = estimator.BitsPerDimension(digits.Pixels).Average();

            // The premise of the correction: MNIST digits compress much better than Fashion-MNIST clothes.
            Assert.InRange(fashionMean, 4.0, 7.0);
            Assert.InRange(digitsMean, 2.0, 4.5);
            Assert.True(fashionMean > digitsMean + 1.5, $"{estimator.Name}: {fashionMean} vs {digitsMean}");
        }
    }

    [Fact]
    public void BatchHelperMatchesImageByImage()
    {
        using var fashion = OodTestData.ReadIdxImages(OodTestData.FashionMnistTest, 64);
        var estimator = new PngComplexity();

        var batch = estimator.BitsPerDimension(fashion.Pixels);

        Assert.Equal(64, batch.Length);
        for (int i = 0; i < batch.Length; i++)
        {
            var single = estimator.BitsPerDimension(OodTestData.ImageBytes(fashion, i), 1, 28, 28);
            Assert.Equal(single, batch[i]);
        }

        Assert.True(batch.Distinct().Count() > 20, "Different clothes should compress to different lengths.");
    }

    [Fact]
    public void BatchHelperRefusesFloatImages()
    {
        using var floats = rand(2, 1, 4, 4);
        var error = Assert.Throws<ArgumentException>(() => new PngComplexity().BitsPerDimension(floats));
        Assert.Contains("uint8", error.Message);
        Assert.Contains("Float32", error.Message);
    }

    [Fact]
    public void FactoryNamesValidValuesWhenTheNameIsUnknown()
    {
        Assert.IsType<PngComplexity>(ComplexityEstimators.Create("png"));
        Assert.IsType<WebpComplexity>(ComplexityEstimators.Create(" WebP "));
        Assert.Equal("png", ComplexityEstimators.Default);
        var error = Assert.Throws<ArgumentException>(() => ComplexityEstimators.Create("flif"));
        Assert.Contains("'flif'", error.Message);
        Assert.Contains("png, webp", error.Message);
    }

    [Fact]
    public void WrongShapesAreRefusedWithExpectedAndActual()
    {
        var estimator = new WebpComplexity();
        var wrongLength = Assert.Throws<ArgumentException>(() => estimator.BitsPerDimension(new byte[10], 1, 3, 3));
        Assert.Contains("expected 9", wrongLength.Message);
        Assert.Contains("got 10", wrongLength.Message);
        var twoChannels = Assert.Throws<ArgumentException>(() => estimator.BitsPerDimension(new byte[18], 2, 3, 3));
        Assert.Contains("got 2", twoChannels.Message);
    }
}
