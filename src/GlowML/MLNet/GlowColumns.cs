namespace GlowML.MLNet;

/// <summary>Names of the columns a Glow transformer reads and adds; a null optional name leaves that column out.</summary>
public sealed record GlowColumns
{
    /// <summary>The input: a known-size float vector, planar [C, H, W].</summary>
    public string Input { get; init; } = "Pixels";

    /// <summary>Output bits per dimension (float).</summary>
    public string BitsPerDim { get; init; } = "BitsPerDim";

    /// <summary>Output discrete log-likelihood in nats (float).</summary>
    public string LogLikelihood { get; init; } = "LogLikelihood";

    /// <summary>Optional output: the standardised latent, a float vector of C*H*W.</summary>
    public string? Latent { get; init; }
}
