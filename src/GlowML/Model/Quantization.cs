using static TorchSharp.torch;

namespace GlowML.Model;

/// <summary>
/// The discrete-data convention GlowML uses everywhere, written once.
/// <para>
/// Data: each value is an integer k in [0, n) with n = 2^pixel_depth levels (8-bit bytes are floored to
/// pixel_depth bits first). The model sees x = (k + u) / n in [0, 1], where u ~ U(0, 1) while training
/// (uniform dequantisation) and u = 1/2, the bin centre, when evaluating.
/// </para>
/// <para>
/// Likelihood: the flow gives a density p(x) on [0, 1]^D. The probability of the discrete image is approximated by
/// P(k) ~= p(x) * (1/n)^D, so log P(k) = log p(x) - D ln n, and bits per dimension is
/// bpd = (-log p(x) + D ln n) / (D ln 2).
/// </para>
/// </summary>
public static class Quantization
{
    /// <summary>Number of levels n = 2^pixelDepth.</summary>
    public static int Levels(int pixelDepth) => 1 << pixelDepth;

    /// <summary>log P(k) in nats from the continuous log-density log p(x) of D dimensions.</summary>
    public static double DiscreteLogLikelihood(double logDensity, int dimensions, int pixelDepth) =>
        logDensity - dimensions * Math.Log(Levels(pixelDepth));

    /// <summary>bpd = (-log p(x) + D ln n) / (D ln 2).</summary>
    public static double BitsPerDim(double logDensity, int dimensions, int pixelDepth) =>
        -DiscreteLogLikelihood(logDensity, dimensions, pixelDepth) / (dimensions * Math.Log(2.0));

    /// <summary>log P(k) in nats [B] from the continuous log-densities log p(x) [B] of D dimensions.</summary>
    public static Tensor DiscreteLogLikelihood(Tensor logDensity, int dimensions, int pixelDepth) =>
        logDensity - dimensions * Math.Log(Levels(pixelDepth));

    /// <summary>Bits per dimension [B] from the continuous log-densities log p(x) [B] of D dimensions.</summary>
    public static Tensor BitsPerDim(Tensor logDensity, int dimensions, int pixelDepth) =>
        -DiscreteLogLikelihood(logDensity, dimensions, pixelDepth) / (dimensions * Math.Log(2.0));

    /// <summary>The level k of an 8-bit value at the given pixel depth (flooring away the low bits).</summary>
    public static int LevelOf(byte value, int pixelDepth) => value >> (8 - pixelDepth);

    /// <summary>
    /// Pixels as 8-bit images give them, value / 255 in [0, 1] (ML.NET's ExtractPixels with scale 1/255), to the
    /// model's evaluation input: the byte is recovered by rounding, floored to pixel_depth bits, and placed at its
    /// bin centre (k + 1/2) / 2^pixel_depth. [B, C, H, W] -> float32 [B, C, H, W].
    /// </summary>
    public static Tensor BinCentres(Tensor pixels01, int pixelDepth)
    {
        var bytes = (pixels01 * 255.0).round().clamp(0, 255).to(ScalarType.Int32);
        var levels = bytes.bitwise_right_shift(8 - pixelDepth);
        return (levels.to(ScalarType.Float32) + 0.5) / Levels(pixelDepth);
    }
}
