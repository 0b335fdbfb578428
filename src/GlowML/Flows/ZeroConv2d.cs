// Glow section 3.3: the last convolution of every coupling network (and of the split priors) starts at zero,
// so each coupling begins as the identity, which stabilises training of deep flows. Its output is scaled by
// exp(3 * logscale) per channel, as the reference implementations do, to let the scale move quickly.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>A zero-initialised convolution with a learned per-channel output log-scale.</summary>
public sealed class ZeroConv2d : nn.Module<Tensor, Tensor>
{
    private const double LogScaleFactor = 3.0;
    private readonly Conv2d conv;
    private readonly Parameter log_scale;

    /// <summary>A "same"-padded convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ZeroConv2d(long inChannels, long outChannels, int kernelSize) : base(nameof(ZeroConv2d))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, padding: kernelSize / 2);
        using (torch.no_grad())
        {
            conv.weight!.zero_();
            conv.bias!.zero_();
        }

        log_scale = nn.Parameter(torch.zeros(1, outChannels, 1, 1));
        RegisterComponents();
    }

    /// <summary>The convolution weight [Cout, Cin, k, k] before the output scale.</summary>
    public Tensor Weight => conv.weight!;

    /// <summary>The convolution bias [Cout] before the output scale.</summary>
    public Tensor Bias => conv.bias!;

    /// <summary>The per-channel factor exp(3 * logscale) [1, Cout, 1, 1] applied to the convolution output.</summary>
    public Tensor OutputScale() => (log_scale * LogScaleFactor).exp();

    /// <summary>x [B, Cin, H, W] -> [B, Cout, H, W].</summary>
    public override Tensor forward(Tensor x) => conv.forward(x) * OutputScale();
}
