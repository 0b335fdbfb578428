using static TorchSharp.torch;

namespace GlowML.Model;

/// <summary>
/// What <see cref="GlowModel.Encode"/> returns for a batch of B images.
/// </summary>
/// <param name="Noise">Standardised latents eps = (z - mean) / std, one per level, each [B, C_l, H_l, W_l],
/// split-off levels first and the top level last.</param>
/// <param name="LogDet">Summed log|det dz/dx| of the flow, [B].</param>
/// <param name="LogPrior">Summed log-density of every level's z under its prior, [B].</param>
public sealed record GlowEncoding(Tensor[] Noise, Tensor LogDet, Tensor LogPrior)
{
    /// <summary>Continuous log-density log p(x) = log prior + log-determinant, [B] in nats.</summary>
    public Tensor LogDensity => LogPrior + LogDet;

    /// <summary>All levels' noise flattened and concatenated: [B, C*H*W].</summary>
    public Tensor FlatNoise()
    {
        long batch = Noise[0].shape[0];
        return cat(Noise.Select(n => n.reshape(batch, -1)).ToArray(), 1);
    }
}
