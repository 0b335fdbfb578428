namespace GlowML.Onnx;

/// <summary>What <see cref="OnnxGlowScorer.Score"/> returns for a batch of B images.</summary>
/// <param name="Count">Number of images B.</param>
/// <param name="BitsPerDim">Bits per dimension, [B].</param>
/// <param name="LogLikelihood">Discrete log-likelihood in nats, log p(x) - D ln 2^pixel_depth, [B].</param>
/// <param name="Latent">Standardised latents of every level, flattened, [B, D] row-major.</param>
public sealed record OnnxGlowScores(int Count, float[] BitsPerDim, float[] LogLikelihood, float[] Latent)
{
    /// <summary>Input complexity L(x) in bits per dimension, [B]; null unless a complexity estimator was given.
    /// </summary>
    public float[]? Complexity { get; init; }

    /// <summary>Out-of-distribution score S(x) = BitsPerDim - L(x), [B]; null with <see cref="Complexity"/>.</summary>
    public float[]? OodScore { get; init; }
}
