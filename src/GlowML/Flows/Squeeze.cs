// Glow section 3 / RealNVP section 3.6: squeezing trades spatial size for channels; volume-preserving.
// Forward: [B, C, H, W] -> [B, C*f*f, H/f, W/f]; reverse undoes it exactly.
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>Space-to-channel reshuffle by a factor f (&gt;= 2). Its log-determinant is zero.</summary>
public sealed class Squeeze : FlowLayer
{
    private readonly int _factor;

    /// <summary>Creates a squeeze by <paramref name="factor"/>, which must be at least 2.</summary>
    public Squeeze(int factor) : base(nameof(Squeeze))
    {
        if (factor < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The squeezing factor must be at least 2.");
        }

        _factor = factor;
    }

    /// <summary>The squeezing factor f.</summary>
    public int Factor => _factor;

    /// <summary>x [B, C, H, W] with H and W divisible by f -> (z [B, C*f*f, H/f, W/f], zeros [B]).</summary>
    public override (Tensor Z, Tensor LogDet) forward(Tensor x) => (Apply(x, _factor), ZeroLogDet(x));

    /// <inheritdoc />
    public override Tensor Reverse(Tensor z) => Invert(z, _factor);

    /// <summary>[B, C, H, W] -> [B, C*f*f, H/f, W/f].</summary>
    public static Tensor Apply(Tensor x, int factor)
    {
        CheckInput(x, -1, nameof(Squeeze));
        long batch = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3];
        if (height % factor != 0 || width % factor != 0)
        {
            throw new ArgumentException(
                $"Squeeze by {factor} needs height and width divisible by {factor}, got {height}x{width}.");
        }

        return x.view(batch, channels, height / factor, factor, width / factor, factor)
            .permute(0, 1, 3, 5, 2, 4)
            .reshape(batch, channels * factor * factor, height / factor, width / factor);
    }

    /// <summary>[B, C*f*f, H, W] -> [B, C, H*f, W*f].</summary>
    public static Tensor Invert(Tensor z, int factor)
    {
        CheckInput(z, -1, nameof(Squeeze));
        long batch = z.shape[0], channels = z.shape[1], height = z.shape[2], width = z.shape[3];
        if (channels % (factor * factor) != 0)
        {
            throw new ArgumentException(
                $"Unsqueeze by {factor} needs channels divisible by {factor * factor}, got {channels}.");
        }

        long outChannels = channels / (factor * factor);
        return z.view(batch, outChannels, factor, factor, height, width)
            .permute(0, 1, 4, 2, 5, 3)
            .reshape(batch, outChannels, height * factor, width * factor);
    }
}
