using BenchmarkDotNet.Attributes;
using GlowML.Model;
using GlowML.Onnx;
using static TorchSharp.torch;

namespace GlowML.Benchmarks;

/// <summary>
/// Sampling throughput at temperature 1: TorchSharp (GlowModel.Sample in eval mode under no_grad, pixels copied
/// out to a float array) against ONNX Runtime running sample.onnx (OnnxGlowScorer.Sample, which draws its normal
/// noise in C#).
/// </summary>
public class SamplingBenchmarks
{
    private GlowModel? _model;
    private string? _onnxFolder;
    private OnnxGlowScorer? _scorer;
    private Generator? _generator;

    /// <summary>The cases of the current mode.</summary>
    public static IEnumerable<SuiteCase> Cases => SuiteSettings.Full
        ? new[] { 32, 64 }.Select(b => new SuiteCase($"cifar-3x8x128/b{b}", SuiteCase.Cifar, b))
        : new[] { new SuiteCase("tiny/b8", SuiteCase.Tiny, 8) };

    /// <summary>The case being measured.</summary>
    [ParamsSource(nameof(Cases))]
    public SuiteCase Case { get; set; } = null!;

    /// <summary>Builds the model and exports it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        SuiteSettings.ApplyTorchThreads();
        _model = BenchmarkData.CreateModel(Case);
        _onnxFolder = BenchmarkData.ExportOnnx(_model);
        _scorer = OnnxGlowScorer.FromDirectory(_onnxFolder, Case.Images, BenchmarkData.OnnxOptions());
        _generator = new Generator(7);
    }

    /// <summary>One batch of samples through TorchSharp.</summary>
    [Benchmark(Baseline = true)]
    public float[] TorchSharpSample()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _model!.Sample(Case.Images, 1.0, _generator).data<float>().ToArray();
    }

    /// <summary>One batch of samples through ONNX Runtime.</summary>
    [Benchmark]
    public float[] OnnxRuntime() => _scorer!.Sample(Case.Images, 1f, seed: 7);

    /// <summary>Releases the case's native memory and deletes the exported graphs.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _scorer?.Dispose();
        _model?.Dispose();
        _generator?.Dispose();
        BenchmarkData.DeleteFolder(_onnxFolder);
    }
}
