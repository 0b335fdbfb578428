using GlowML.Flows;
using GlowML.Model;
using static TorchSharp.torch;

namespace GlowML.Tests.Flows;

/// <summary>Small architectures and inputs shared by the flow tests.</summary>
internal static class TinyModels
{
    public static GlowArchitecture Architecture(int channels = 1, int height = 8, int width = 8, int blocks = 2,
        int flows = 2, int factor = 2, PermutationKind permutation = PermutationKind.Conv,
        CouplingKind coupling = CouplingKind.Affine, bool learnTop = true, int pixelDepth = 8) => new()
    {
        Channels = channels,
        Height = height,
        Width = width,
        NumBlocks = blocks,
        NumFlows = flows,
        SqueezingFactor = factor,
        Permutation = permutation,
        Coupling = coupling,
        NumFilters = 8,
        KernelSize = 3,
        LearnTop = learnTop,
        PixelDepth = pixelDepth,
    };

    /// <summary>Random images in [0, 1], [B, C, H, W].</summary>
    public static Tensor Images(GlowArchitecture a, long batch, long seed = 7)
    {
        var g = new Generator((ulong)seed);
        return rand(new long[] { batch, a.Channels, a.Height, a.Width }, generator: g);
    }

    /// <summary>A model whose ActNorms were initialised on one batch and whose zero-initialised layers were
    /// perturbed, so that every layer does something non-trivial in the tests.</summary>
    public static GlowModel Trained(GlowArchitecture a, long seed = 1)
    {
        var model = new GlowModel(a, seed);
        using (no_grad())
        {
            model.forward(Images(a, 16, seed + 100));
            var g = new Generator((ulong)seed + 200);
            foreach (var p in model.parameters())
            {
                p.add_(randn(p.shape, generator: g) * 0.05);
            }
        }

        model.eval();
        return model;
    }
}
