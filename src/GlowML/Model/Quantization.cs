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

    /// <summary>The level k of an 8-bit value at the given pixel depth (flooring away the low bits).</summary>
    public static int LevelOf(byte value, int pixelDepth) => value >> (8 - pixelDepth);
}
