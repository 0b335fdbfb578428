namespace GlowML.Data;

/// <summary>Where inside its quantisation bin a discrete pixel is placed (see <see cref="GlowML.Model.Quantization"/>).
/// </summary>
public enum Dequantization
{
    /// <summary>Uniform noise u ~ U(0, 1): x = (k + u) / 2^depth, for training.</summary>
    Noise,

    /// <summary>The bin centre u = 1/2: x = (k + 1/2) / 2^depth, for evaluation and scoring.</summary>
    Center,
}
