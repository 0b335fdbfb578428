// Glow section 3.2 without the LU trick (the <c>conv-plain</c> permutation): a full learned W [C, C].
// log|det| = H * W * log|det W| through slogdet, because det W may turn negative during training.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>Invertible 1x1 convolution with an unconstrained weight matrix.</summary>
public sealed class PlainConv1x1 : FlowLayer
{
    private readonly long _channels;
    private readonly Parameter weight;

    /// <summary>Creates the layer for <paramref name="channels"/> channels, starting from a random rotation.</summary>
    public PlainConv1x1(long channels, Generator? generator = null) : base(nameof(PlainConv1x1))
    {
        _channels = channels;
        using var noGrad = torch.no_grad();
        var (q, _) = torch.linalg.qr(torch.randn(new[] { channels, channels }, generator: generator));
        // LAPACK hands back column-major results; saving needs contiguous storage.
        weight = nn.Parameter(q.contiguous());
        RegisterComponents();
    }

    /// <summary>The weight W [C, C].</summary>
    public Tensor Weight() => weight;

    /// <summary>log|det W| as a scalar, finite for either sign of det W.</summary>
    public Tensor LogAbsDetWeight() => torch.linalg.slogdet(weight).Item2;

    /// <summary>x [B, C, H, W] -> (W x [B, C, H, W], log-determinant [B]).</summary>
    public override (Tensor Z, Tensor LogDet) forward(Tensor x)
    {
        CheckInput(x, _channels, nameof(PlainConv1x1));
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        var z = nn.functional.conv2d(x, weight.view(_channels, _channels, 1, 1));
        return (z, (LogAbsDetWeight() * (height * width)).expand(batch));
    }

    /// <inheritdoc />
    public override Tensor Reverse(Tensor z)
    {
        CheckInput(z, _channels, nameof(PlainConv1x1));
        return nn.functional.conv2d(z, torch.linalg.inv(weight).view(_channels, _channels, 1, 1));
    }
}
