// Glow section 3.3 (affine coupling) and NICE (additive coupling). x is split along channels into
// xa (the first floor(C/2)) and xb (the rest, so odd C works). xa passes unchanged; NN(xa) gives a shift t and,
// for affine, s = sigmoid(h + 2) as the reference code does. Forward: zb = (xb + t) * s, log|det| = sum(log s).
// Reverse: xb = zb / s - t. Additive: zb = xb + t with log|det| = 0.
using TorchSharp;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>Affine or additive coupling layer.</summary>
public sealed class Coupling : FlowLayer
{
    private readonly long _channels;
    private readonly long _passChannels;
    private readonly long _changeChannels;
    private readonly CouplingKind _kind;
    private readonly CouplingNetwork net;

    /// <summary>Creates a coupling over <paramref name="channels"/> (at least 2) channels.</summary>
    public Coupling(long channels, CouplingKind kind, int filters, int kernelSize, Generator? generator = null)
        : base(nameof(Coupling))
    {
        if (channels < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "A coupling needs at least 2 channels.");
        }

        _channels = channels;
        _passChannels = channels / 2;
        _changeChannels = channels - _passChannels;
        _kind = kind;
        long outChannels = kind == CouplingKind.Affine ? 2 * _changeChannels : _changeChannels;
        net = new CouplingNetwork(_passChannels, outChannels, filters, kernelSize, generator);
        RegisterComponents();
    }

    /// <summary>Affine or additive.</summary>
    public CouplingKind Kind => _kind;

    /// <summary>Channels passed through unchanged: the first floor(C/2).</summary>
    public long PassChannels => _passChannels;

    /// <summary>Channels transformed: the remaining C - floor(C/2).</summary>
    public long ChangeChannels => _changeChannels;

    /// <summary>The network NN(xa): [B, PassChannels, H, W] -> shift (and raw scale) per changed channel.</summary>
    public CouplingNetwork Network => net;

    /// <summary>x [B, C, H, W] -> (z [B, C, H, W], log-determinant [B]).</summary>
    public override (Tensor Z, Tensor LogDet) forward(Tensor x)
    {
        CheckInput(x, _channels, nameof(Coupling));
        var xa = x.narrow(1, 0, _passChannels);
        var xb = x.narrow(1, _passChannels, _changeChannels);
        var h = net.forward(xa);
        if (_kind == CouplingKind.Additive)
        {
            return (torch.cat(new[] { xa, xb + h }, 1), ZeroLogDet(x));
        }

        var shift = h.narrow(1, 0, _changeChannels);
        var logScale = nn.functional.logsigmoid(h.narrow(1, _changeChannels, _changeChannels) + 2.0);
        var zb = (xb + shift) * logScale.exp();
        return (torch.cat(new[] { xa, zb }, 1), logScale.sum(new long[] { 1, 2, 3 }));
    }

    /// <inheritdoc />
    public override Tensor Reverse(Tensor z)
    {
        CheckInput(z, _channels, nameof(Coupling));
        var za = z.narrow(1, 0, _passChannels);
        var zb = z.narrow(1, _passChannels, _changeChannels);
        var h = net.forward(za);
        if (_kind == CouplingKind.Additive)
        {
            return torch.cat(new[] { za, zb - h }, 1);
        }

        var shift = h.narrow(1, 0, _changeChannels);
        var logScale = nn.functional.logsigmoid(h.narrow(1, _changeChannels, _changeChannels) + 2.0);
        return torch.cat(new[] { za, zb * (-logScale).exp() - shift }, 1);
    }
}
