namespace GlowML.Ood;

/// <summary>
/// Input complexity L(x) of Serra et al. (ICLR 2020): the length of a lossless compression of the 8-bit image the
/// model sees, in bits per dimension. S(x) = bpd(x) - L(x) corrects likelihood-based out-of-distribution scores
/// for how simple an image is. Implementations hold no mutable state and may be called from several threads.
/// </summary>
public interface IComplexityEstimator
{
    /// <summary>Short name used on the command line and in reports: <c>png</c> or <c>webp</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Compressed length of one image in bits divided by C*H*W.
    /// </summary>
    /// <param name="pixels">Planar uint8 pixels [C, H, W] (all of channel 0, then channel 1, ...).</param>
    /// <param name="channels">C: 1 (grey) or 3 (RGB).</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    double BitsPerDimension(ReadOnlySpan<byte> pixels, int channels, int height, int width);
}
