namespace GlowML.MLNet;

/// <summary>Scores of a batch of B images.</summary>
/// <param name="BitsPerDim">[B] bits per dimension.</param>
/// <param name="LogLikelihood">[B] discrete log-likelihood in nats, -bpd * D * ln 2.</param>
/// <param name="Latent">[B * D] standardised latents (row-major), or null when not asked for.</param>
public sealed record GlowScores(float[] BitsPerDim, float[] LogLikelihood, float[]? Latent)
{
    /// <summary>[B] input complexity L(x) in bits per dimension, or null when no complexity estimator was given.
    /// </summary>
    public float[]? Complexity { get; init; }

    /// <summary>[B] out-of-distribution score S(x) = BitsPerDim - L(x), or null with <see cref="Complexity"/>.
    /// </summary>
    public float[]? OodScore { get; init; }
}
