using SkiaSharp;

namespace GlowML.Ood;

/// <summary>
/// Input complexity from lossless WebP at maximum effort (SkiaSharp, quality 100, which for lossless WebP means
/// the slowest, smallest encoding). Serra et al. found stronger compressors better; FLIF has no .NET encoder and
/// lossless WebP is the closest available. What is counted: the bytes of the whole WebP file (RIFF header and
/// VP8L chunk, about 20 bytes of framing), times 8, divided by C*H*W.
/// </summary>
/// <remarks>
/// Measured on 28x28 grey images (Fashion-MNIST, MNIST) this gives about 0.5 to 0.6 bits per dimension more than
/// <see cref="PngComplexity"/>: on such small images WebP's entropy-code headers outweigh its better prediction.
/// </remarks>
public sealed class WebpComplexity : IComplexityEstimator
{
    /// <summary>The name used in reports and on the command line.</summary>
    public const string EstimatorName = "webp";

    private const float MaxEffort = 100f;

    /// <inheritdoc />
    public string Name => EstimatorName;

    /// <inheritdoc />
    public double BitsPerDimension(ReadOnlySpan<byte> pixels, int channels, int height, int width) =>
        Encode(pixels, channels, height, width).Length * 8.0 / ((long)channels * height * width);

    /// <summary>The WebP file for planar pixels [C, H, W] (exposed to tests, which decode it back).</summary>
    internal static byte[] Encode(ReadOnlySpan<byte> pixels, int channels, int height, int width)
    {
        var options = new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, MaxEffort);
        return SkiaImages.Encode(EstimatorName, pixels, channels, height, width, pixmap => pixmap.Encode(options));
    }
}
