// Glow section 3, figure 2a: one step of flow is ActNorm -> channel mixing (1x1 convolution or a fixed
// permutation) -> coupling. Forward runs them in that order; reverse runs their inverses backwards.
using TorchSharp;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>One step of flow: ActNorm, permutation, coupling.</summary>
public sealed class GlowStep : FlowLayer
{
    private readonly ActNorm actnorm;
    private readonly FlowLayer permute;
    private readonly Coupling coupling;

    /// <summary>Creates a step over <paramref name="channels"/> channels.</summary>
    public GlowStep(long channels, PermutationKind permutation, CouplingKind couplingKind, int filters, int kernelSize,
        Generator? generator = null) : base(nameof(GlowStep))
    {
        actnorm = new ActNorm(channels);
        permute = permutation switch
        {
            PermutationKind.Conv => new InvertibleConv1x1(channels, generator),
            PermutationKind.ConvPlain => new PlainConv1x1(channels, generator),
            PermutationKind.Shuffle => ChannelPermutation.Shuffle(channels, generator),
            PermutationKind.Reverse => ChannelPermutation.Reversed(channels),
            _ => throw new ArgumentOutOfRangeException(nameof(permutation), permutation, "Unknown permutation."),
        };
        coupling = new Coupling(channels, couplingKind, filters, kernelSize, generator);
        RegisterComponents();
    }

    /// <summary>The step's ActNorm.</summary>
    public ActNorm ActNorm => actnorm;

    /// <summary>The step's channel mixing layer.</summary>
    public FlowLayer Permutation => permute;

    /// <summary>The step's coupling.</summary>
    public Coupling Coupling => coupling;

    /// <summary>x [B, C, H, W] -> (z [B, C, H, W], log-determinant [B]).</summary>
    public override (Tensor Z, Tensor LogDet) forward(Tensor x)
    {
        var (h, logDet) = actnorm.forward(x);
        var (h2, logDet2) = permute.forward(h);
        var (z, logDet3) = coupling.forward(h2);
        return (z, logDet + logDet2 + logDet3);
    }

    /// <inheritdoc />
    public override Tensor Reverse(Tensor z) => actnorm.Reverse(permute.Reverse(coupling.Reverse(z)));
}
