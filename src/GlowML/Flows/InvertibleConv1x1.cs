// Glow section 3.2: invertible 1x1 convolution with an LU-decomposed weight, W = P L (U + diag(sign(s) exp(log|s|))).
// log|det| = H * W * sum(log|s|), O(C) instead of O(C^3). P and sign(s) stay fixed, so they are buffers.
// Forward: z = W x per pixel; reverse: x = W^-1 z.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>Invertible 1x1 convolution, LU-parameterised (the <c>conv</c> permutation).</summary>
public sealed class InvertibleConv1x1 : FlowLayer
{
    private readonly long _channels;
    private readonly Tensor permutation;
    private readonly Tensor sign_s;
    private readonly Tensor lower_mask;
    private readonly Tensor identity;
    private readonly Parameter lower;
    private readonly Parameter upper;
    private readonly Parameter log_s;

    /// <summary>Creates the layer for <paramref name="channels"/> channels, starting from a random rotation.</summary>
    public InvertibleConv1x1(long channels, Generator? generator = null) : base(nameof(InvertibleConv1x1))
    {
        _channels = channels;
        using var noGrad = torch.no_grad();
        var (q, _) = torch.linalg.qr(torch.randn(new[] { channels, channels }, generator: generator));
        var (p, l, u) = torch.linalg.lu(q);
        // LAPACK hands back column-major results; saving needs contiguous storage.
        (p, l, u) = (p.contiguous(), l.contiguous(), u.contiguous());
        var diagonal = u.diagonal().contiguous();
        permutation = p;
        sign_s = diagonal.sign();
        lower_mask = torch.ones(channels, channels).tril(-1);
        identity = torch.eye(channels);
        lower = nn.Parameter(l * lower_mask);
        upper = nn.Parameter(u.triu(1));
        log_s = nn.Parameter(diagonal.abs().log());
        RegisterComponents();
    }

    /// <summary>The current weight W [C, C].</summary>
    public Tensor Weight()
    {
        var l = lower * lower_mask + identity;
        var u = upper * lower_mask.t() + torch.diag(sign_s * log_s.exp());
        return permutation.matmul(l).matmul(u);
    }

    /// <summary>log|det W| as a scalar; the layer's log-determinant is H * W times it.</summary>
    public Tensor LogAbsDetWeight() => log_s.sum();

    /// <summary>x [B, C, H, W] -> (W x [B, C, H, W], log-determinant [B]).</summary>
    public override (Tensor Z, Tensor LogDet) forward(Tensor x)
    {
        CheckInput(x, _channels, nameof(InvertibleConv1x1));
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        var z = nn.functional.conv2d(x, Weight().view(_channels, _channels, 1, 1));
        return (z, (LogAbsDetWeight() * (height * width)).expand(batch));
    }

    /// <inheritdoc />
    public override Tensor Reverse(Tensor z)
    {
        CheckInput(z, _channels, nameof(InvertibleConv1x1));
        var inverse = torch.linalg.inv(Weight());
        return nn.functional.conv2d(z, inverse.view(_channels, _channels, 1, 1));
    }
}
