using BenchmarkDotNet.Attributes;
using GlowML.Flows;
using GlowML.Model;
using static TorchSharp.torch;

namespace GlowML.Benchmarks;

/// <summary>
/// What rebuilding the LU-parameterised 1x1 convolutions costs per model call: W for every layer (each forward
/// pass did this before InvertibleConv1x1 cached it for gradient-free calls) and W^-1 (each reverse pass). Compare
/// with the scoring and sampling times of the same case to see the share the cache removed.
/// </summary>
public class WeightRebuildBenchmarks
{
    private GlowModel? _model;
    private InvertibleConv1x1[] _layers = Array.Empty<InvertibleConv1x1>();

    /// <summary>The cases of the current mode (the batch size does not matter here).</summary>
    public static IEnumerable<SuiteCase> Cases => SuiteSettings.Full
        ? new[] { new SuiteCase("cifar-3x8x128", SuiteCase.Cifar, 1) }
        : new[] { new SuiteCase("tiny", SuiteCase.Tiny, 1) };

    /// <summary>The case being measured.</summary>
    [ParamsSource(nameof(Cases))]
    public SuiteCase Case { get; set; } = null!;

    /// <summary>Builds the model and collects its 1x1 convolutions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        SuiteSettings.ApplyTorchThreads();
        _model = BenchmarkData.CreateModel(Case);
        _layers = _model.Levels.SelectMany(l => l.Steps).Select(s => s.Permutation)
            .OfType<InvertibleConv1x1>().ToArray();
    }

    /// <summary>W of every layer, as an uncached forward pass builds them.</summary>
    [Benchmark]
    public int RebuildWeights()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var layer in _layers)
        {
            layer.Weight();
        }

        return _layers.Length;
    }

    /// <summary>W^-1 of every layer, as an uncached reverse pass builds them.</summary>
    [Benchmark]
    public int RebuildInverses()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var layer in _layers)
        {
            linalg.inv(layer.Weight());
        }

        return _layers.Length;
    }

    /// <summary>Releases the model.</summary>
    [GlobalCleanup]
    public void Cleanup() => _model?.Dispose();
}
