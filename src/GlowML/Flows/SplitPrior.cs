// Glow section 3 / RealNVP section 3.6, multi-scale: after a level, half the channels are factored out and
// modelled by a Gaussian whose mean and log-std come from the kept half through a zero-initialised conv.
using TorchSharp;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>The learned conditional Gaussian p(z_split | z_kept) of one multi-scale split.</summary>
public sealed class SplitPrior : nn.Module<Tensor, (Tensor Mean, Tensor LogStd)>
{
    private readonly long _splitChannels;
    private readonly ZeroConv2d conv;

    /// <summary>A prior for <paramref name="splitChannels"/> channels given <paramref name="keptChannels"/>.</summary>
    public SplitPrior(long keptChannels, long splitChannels) : base(nameof(SplitPrior))
    {
        _splitChannels = splitChannels;
        conv = new ZeroConv2d(keptChannels, 2 * splitChannels, 3);
        RegisterComponents();
    }

    /// <summary>The convolution giving [mean, log-std] along channels from the kept half.</summary>
    public ZeroConv2d Conv => conv;

    /// <summary>kept [B, Ck, H, W] -> (mean [B, Cs, H, W], log-std [B, Cs, H, W]).</summary>
    public override (Tensor Mean, Tensor LogStd) forward(Tensor kept)
    {
        var h = conv.forward(kept);
        return (h.narrow(1, 0, _splitChannels), h.narrow(1, _splitChannels, _splitChannels));
    }
}
