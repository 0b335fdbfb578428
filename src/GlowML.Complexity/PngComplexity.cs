using SkiaSharp;

namespace GlowML.Ood;

/// <summary>
/// Input complexity from PNG at zlib level 9 with every row filter tried (SkiaSharp). What is counted: the bytes of
/// the whole PNG file, signature and all chunks (IHDR, sBIT, IDAT, IEND), times 8, divided by C*H*W. The fixed
/// part is about 70 bytes, i.e. about 0.7 bits per dimension on a 28x28 grey image; it shifts every score of one
/// image shape equally, so rankings and AUROC do not change. Grey images are stored as 8-bit grey, RGB as 8-bit RGB.
/// </summary>
public sealed class PngComplexity : IComplexityEstimator
{
    /// <summary>The name used in reports and on the command line.</summary>
    public const string EstimatorName = "png";

    private const int MaxZlibLevel = 9;

    /// <inheritdoc />
    public string Name => EstimatorName;

    /// <inheritdoc />
    public double BitsPerDimension(ReadOnlySpan<byte> pixels, int channels, int height, int width) =>
        Encode(pixels, channels, height, width).Length * 8.0 / ((long)channels * height * width);

    /// <summary>The PNG file for planar pixels [C, H, W] (exposed to tests, which decode it back).</summary>
    internal static byte[] Encode(ReadOnlySpan<byte> pixels, int channels, int height, int width)
    {
        var options = new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, MaxZlibLevel);
        return SkiaImages.Encode(EstimatorName, pixels, channels, height, width, pixmap => pixmap.Encode(options));
    }
}
