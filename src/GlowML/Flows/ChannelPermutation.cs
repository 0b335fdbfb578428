// RealNVP / Glow section 3.2 baselines: a fixed channel permutation (the <c>shuffle</c> and <c>reverse</c>
// permutations). Volume-preserving, so the log-determinant is zero. The order is a buffer so that a loaded
// model applies exactly the order it was trained with.
using TorchSharp;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>A fixed permutation of the channel axis: a seeded random shuffle, or the reversed order.</summary>
public sealed class ChannelPermutation : FlowLayer
{
    private readonly long _channels;
    private readonly Tensor indices;
    private readonly Tensor inverse_indices;

    private ChannelPermutation(long channels, Tensor order) : base(nameof(ChannelPermutation))
    {
        _channels = channels;
        indices = order;
        inverse_indices = order.argsort();
        RegisterComponents();
    }

    /// <summary>The channel order applied by forward: z[:, i] = x[:, Order[i]].</summary>
    public long[] Order => indices.data<long>().ToArray();

    /// <summary>A random permutation drawn from <paramref name="generator"/> (or the global one).</summary>
    public static ChannelPermutation Shuffle(long channels, Generator? generator = null) =>
        new(channels, torch.randperm(channels, generator: generator));

    /// <summary>The reversed channel order.</summary>
    public static ChannelPermutation Reversed(long channels) =>
        new(channels, torch.arange(channels - 1, -1, -1, dtype: ScalarType.Int64));

    /// <summary>x [B, C, H, W] -> (x permuted along C, zeros [B]).</summary>
    public override (Tensor Z, Tensor LogDet) forward(Tensor x)
    {
        CheckInput(x, _channels, nameof(ChannelPermutation));
        return (x.index_select(1, indices), ZeroLogDet(x));
    }

    /// <inheritdoc />
    public override Tensor Reverse(Tensor z)
    {
        CheckInput(z, _channels, nameof(ChannelPermutation));
        return z.index_select(1, inverse_indices);
    }
}
