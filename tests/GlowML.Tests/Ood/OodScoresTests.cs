using GlowML.Model;
using GlowML.Ood;
using GlowML.Tests.Flows;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Ood;

public class OodScoresTests
{
    [Fact]
    public void ScoreIsBitsPerDimMinusComplexityImageByImage()
    {
        using var scope = NewDisposeScope();
        using var images = OodTestData.ReadIdxImages(OodTestData.FashionMnistTest, 12);
        var model = TinyModels.Trained(TinyModels.Architecture(height: 28, width: 28));
        float[] bpd;
        using (no_grad())
        {
            var x = Quantization.BinCentres(images.Pixels.to(ScalarType.Float32) / 255.0, 8);
            bpd = model.BitsPerDim(x).data<float>().ToArray();
        }

        var png = new PngComplexity().BitsPerDimension(images.Pixels);
        var webp = new WebpComplexity().BitsPerDimension(images.Pixels);

        var sPng = OodScores.Score(bpd, png);
        var sWebp = OodScores.Score(bpd, webp);

        for (int i = 0; i < bpd.Length; i++)
        {
            // The difference is taken in double and rounded once to float.
            Assert.Equal((float)(bpd[i] - png[i]), sPng[i]);
            Assert.Equal((float)(bpd[i] - webp[i]), sWebp[i]);
        }

        // Same model, different compressors: S differs exactly by the complexity difference.
        Assert.NotEqual(sPng, sWebp);
        Assert.All(bpd, b => Assert.True(float.IsFinite(b) && b > 0, $"bpd {b}"));
    }

    [Fact]
    public void MismatchedLengthsAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => OodScores.Score([1f, 2f, 3f], [0.5, 0.5]));
        Assert.Contains("3 bpd values", error.Message);
        Assert.Contains("2 complexity values", error.Message);
    }

    [Fact]
    public void MethodNamesAreTheOnesReportsUse()
    {
        Assert.Equal("-log-likelihood", OodScores.LikelihoodMethod);
        Assert.Equal("S (png)", OodScores.ComplexityMethod(new PngComplexity().Name));
        Assert.Equal("S (webp)", OodScores.ComplexityMethod(new WebpComplexity().Name));
    }
}
