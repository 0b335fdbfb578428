// Glow section 3.3: the network NN() inside an affine coupling. conv(k) -> ActNorm -> ReLU -> conv(1x1) ->
// ActNorm -> ReLU -> zero-initialised conv(k). The convolutions before an ActNorm need no bias of their own.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>The shallow convolutional network that predicts a coupling's shift and scale.</summary>
public sealed class CouplingNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_in;
    private readonly ActNorm norm_in;
    private readonly Conv2d conv_hidden;
    private readonly ActNorm norm_hidden;
    private readonly ZeroConv2d conv_out;

    /// <summary>A network from <paramref name="inChannels"/> to <paramref name="outChannels"/> of width
    /// <paramref name="filters"/>, with <paramref name="kernelSize"/> (odd) in the first and last convolution.</summary>
    public CouplingNetwork(long inChannels, long outChannels, int filters, int kernelSize, Generator? generator = null)
        : base(nameof(CouplingNetwork))
    {
        conv_in = nn.Conv2d(inChannels, filters, kernelSize, padding: kernelSize / 2, bias: false);
        norm_in = new ActNorm(filters);
        conv_hidden = nn.Conv2d(filters, filters, 1, bias: false);
        norm_hidden = new ActNorm(filters);
        conv_out = new ZeroConv2d(filters, outChannels, kernelSize);
        using (torch.no_grad())
        {
            // Small weights keep the first ActNorm statistics well defined, as in the reference code. Drawn with
            // randn: TorchSharp 0.107's nn.init.normal_ ignores its generator argument.
            conv_in.weight!.copy_(torch.randn(conv_in.weight!.shape, generator: generator) * 0.05);
            conv_hidden.weight!.copy_(torch.randn(conv_hidden.weight!.shape, generator: generator) * 0.05);
        }

        RegisterComponents();
    }

    /// <summary>The first convolution's weight [filters, Cin, k, k] (no bias; its ActNorm follows).</summary>
    public Tensor InputWeight => conv_in.weight!;

    /// <summary>The ActNorm after the first convolution.</summary>
    public ActNorm InputNorm => norm_in;

    /// <summary>The hidden 1x1 convolution's weight [filters, filters, 1, 1] (no bias; its ActNorm follows).</summary>
    public Tensor HiddenWeight => conv_hidden.weight!;

    /// <summary>The ActNorm after the hidden convolution.</summary>
    public ActNorm HiddenNorm => norm_hidden;

    /// <summary>The zero-initialised output convolution.</summary>
    public ZeroConv2d Output => conv_out;

    /// <summary>x [B, Cin, H, W] -> [B, Cout, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        var h = nn.functional.relu(norm_in.Normalize(conv_in.forward(x)));
        h = nn.functional.relu(norm_hidden.Normalize(conv_hidden.forward(h)));
        return conv_out.forward(h);
    }
}
