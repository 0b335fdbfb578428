using BenchmarkDotNet.Attributes;
using GlowML.Data;
using GlowML.Model;
using GlowML.Onnx;
using GlowML.Training;

namespace GlowML.Benchmarks;

/// <summary>
/// Scoring throughput (bits/dim of real images at bin centres): TorchSharp evaluation (Evaluation.BitsPerDim, eval
/// mode, no_grad) against ONNX Runtime running the exported score.onnx (OnnxGlowScorer.Score).
/// </summary>
public class ScoringBenchmarks
{
    private GlowModel? _model;
    private ImageSet? _images;
    private float[] _pixels = Array.Empty<float>();
    private string? _onnxFolder;
    private OnnxGlowScorer? _scorer;

    /// <summary>The cases of the current mode.</summary>
    public static IEnumerable<SuiteCase> Cases => SuiteSettings.Full
        ? new[] { 1, 32, 64 }.Select(b => new SuiteCase($"cifar-3x8x128/b{b}", SuiteCase.Cifar, b))
        : new[] { 1, 8 }.Select(b => new SuiteCase($"tiny/b{b}", SuiteCase.Tiny, b));

    /// <summary>The case being measured.</summary>
    [ParamsSource(nameof(Cases))]
    public SuiteCase Case { get; set; } = null!;

    /// <summary>Builds the model, exports it and loads the images to score.</summary>
    [GlobalSetup]
    public void Setup()
    {
        SuiteSettings.ApplyTorchThreads();
        _model = BenchmarkData.CreateModel(Case);
        _images = BenchmarkData.RealImages(Case.UsesCifar, Case.Images);
        _pixels = BenchmarkData.Pixels(_images);
        _onnxFolder = BenchmarkData.ExportOnnx(_model);
        _scorer = OnnxGlowScorer.FromDirectory(_onnxFolder, Case.Images, BenchmarkData.OnnxOptions());
    }

    /// <summary>Bits/dim of one batch through TorchSharp.</summary>
    [Benchmark(Baseline = true)]
    public float[] TorchSharpEval() => Evaluation.BitsPerDim(_model!, _images!, Case.Images);

    /// <summary>Bits/dim of one batch through ONNX Runtime.</summary>
    [Benchmark]
    public float[] OnnxRuntime() => _scorer!.Score(_pixels, Case.Images).BitsPerDim;

    /// <summary>Releases the case's native memory and deletes the exported graphs.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _scorer?.Dispose();
        _images?.Dispose();
        _model?.Dispose();
        BenchmarkData.DeleteFolder(_onnxFolder);
    }
}
