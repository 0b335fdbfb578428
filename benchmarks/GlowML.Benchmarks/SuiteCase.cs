using GlowML.Flows;
using GlowML.Model;

namespace GlowML.Benchmarks;

/// <summary>
/// One benchmark configuration: a model architecture (or none, for data loading) and how many images one
/// benchmark invocation handles, which turns BenchmarkDotNet's mean time into images per second.
/// </summary>
/// <param name="Name">Short name shown in the tables, e.g. <c>cifar-3x8x128/b32</c>.</param>
/// <param name="Architecture">The model, or null for data-loading cases.</param>
/// <param name="Images">Images one invocation processes (the batch size for model cases).</param>
public sealed record SuiteCase(string Name, GlowArchitecture? Architecture, int Images)
{
    /// <summary>The 32x32x3 model: 3 levels, 8 flows, 128 filters, affine, LU 1x1 conv.</summary>
    public static GlowArchitecture Cifar { get; } = new()
    {
        Channels = 3,
        Height = 32,
        Width = 32,
        NumBlocks = 3,
        NumFlows = 8,
        NumFilters = 128,
        Permutation = PermutationKind.Conv,
        Coupling = CouplingKind.Affine,
    };

    /// <summary>configs/fashion-mnist.cpu.json's model: 1x28x28, 2 levels, 8 flows, 64 filters.</summary>
    public static GlowArchitecture FashionMnist { get; } = Cifar with
    {
        Channels = 1,
        Height = 28,
        Width = 28,
        NumBlocks = 2,
        NumFilters = 64,
    };

    /// <summary>A model small enough that <c>--short</c> finishes in seconds and still runs every layer kind.</summary>
    public static GlowArchitecture Tiny { get; } = FashionMnist with { NumFlows = 2, NumFilters = 16 };

    /// <summary>Whether the architecture reads CIFAR-10 (3 channels) rather than Fashion-MNIST (1 channel).</summary>
    public bool UsesCifar => Architecture?.Channels == 3;

    /// <summary>The name, which BenchmarkDotNet prints as the parameter value.</summary>
    public override string ToString() => Name;
}
