// Glow section 3, figure 2b: one level of the multi-scale architecture is squeeze -> K steps of flow -> split.
// The last level has no split; its output goes to the top prior.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>One scale of the model: K steps of flow over squeezed channels, and the prior of its split.</summary>
public sealed class GlowLevel : nn.Module
{
    private readonly ModuleList<GlowStep> steps;
    private readonly SplitPrior? split_prior;

    /// <summary>Creates a level over <paramref name="channels"/> channels (after squeezing).</summary>
    public GlowLevel(long channels, int flows, bool split, PermutationKind permutation, CouplingKind coupling,
        int filters, int kernelSize, Generator? generator = null) : base(nameof(GlowLevel))
    {
        Channels = channels;
        SplitChannels = split ? channels / 2 : 0;
        KeptChannels = channels - SplitChannels;
        var list = new GlowStep[flows];
        for (int i = 0; i < flows; i++)
        {
            list[i] = new GlowStep(channels, permutation, coupling, filters, kernelSize, generator);
        }

        steps = nn.ModuleList(list);
        split_prior = split ? new SplitPrior(KeptChannels, SplitChannels) : null;
        RegisterComponents();
    }

    /// <summary>Channels the steps see (after squeezing).</summary>
    public long Channels { get; }

    /// <summary>Channels factored out at the end of the level (0 for the last level).</summary>
    public long SplitChannels { get; }

    /// <summary>Channels passed on to the next level (all of them for the last level).</summary>
    public long KeptChannels { get; }

    /// <summary>The steps of flow, in forward order.</summary>
    public IReadOnlyList<GlowStep> Steps => steps.ToList();

    /// <summary>The split prior, or null for the last level.</summary>
    public SplitPrior? Prior => split_prior;

    /// <summary>h [B, C, H, W] -> (h after all steps, summed log-determinant [B]).</summary>
    public (Tensor Z, Tensor LogDet) Flow(Tensor h)
    {
        // Each step runs in a dispose scope of its own and the previous step's output is freed once the next one
        // exists. Otherwise every intermediate of the level lives until the caller's scope ends: a scoring pass
        // of the Fashion-MNIST preset held ~300 MB that PyTorch frees at once. Autograd keeps what backward needs
        // through its own references, so training is unaffected.
        var current = h;
        Tensor logDet = torch.zeros(h.shape[0], dtype: h.dtype, device: h.device);
        foreach (var step in steps)
        {
            Tensor next, nextLogDet;
            using (torch.NewDisposeScope())
            {
                var (z, stepLogDet) = step.forward(current);
                next = z.MoveToOuterDisposeScope();
                nextLogDet = (logDet + stepLogDet).MoveToOuterDisposeScope();
            }

            ReleaseIntermediate(current, h);
            logDet.Dispose();
            current = next;
            logDet = nextLogDet;
        }

        return (current, logDet);
    }

    /// <summary>Inverts <see cref="Flow"/>.</summary>
    public Tensor Unflow(Tensor z)
    {
        // Step by step, freeing intermediates early, for the reason given in Flow.
        var current = z;
        for (int i = steps.Count - 1; i >= 0; i--)
        {
            Tensor next;
            using (torch.NewDisposeScope())
            {
                next = steps[i].Reverse(current).MoveToOuterDisposeScope();
            }

            ReleaseIntermediate(current, z);
            current = next;
        }

        return current;
    }

    // Frees a tensor this level made itself, never the caller's input.
    private static void ReleaseIntermediate(Tensor tensor, Tensor input)
    {
        if (!ReferenceEquals(tensor, input))
        {
            tensor.Dispose();
        }
    }
}
