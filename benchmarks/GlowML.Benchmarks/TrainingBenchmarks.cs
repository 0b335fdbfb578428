using BenchmarkDotNet.Attributes;
using GlowML.Data;
using GlowML.Model;
using GlowML.Training;

namespace GlowML.Benchmarks;

/// <summary>
/// Training throughput: one invocation is one GlowTrainer epoch over exactly one batch, i.e. one real training step
/// (dequantisation noise, BitsPerDim().mean(), backward, gradient-norm clipping, Adam) plus the epoch bookkeeping.
/// </summary>
public class TrainingBenchmarks
{
    private GlowModel? _model;
    private GlowTrainer? _trainer;
    private ImageSet? _batch;

    /// <summary>The cases of the current mode.</summary>
    public static IEnumerable<SuiteCase> Cases => TrainingCases(SuiteSettings.Full);

    /// <summary>The case being measured.</summary>
    [ParamsSource(nameof(Cases))]
    public SuiteCase Case { get; set; } = null!;

    /// <summary>The training cases of a mode: the two in full mode, the tiny one in short mode.</summary>
    public static IEnumerable<SuiteCase> TrainingCases(bool full) => full
        ? new[]
        {
            new SuiteCase("cifar-3x8x128/b32", SuiteCase.Cifar, 32),
            new SuiteCase("fashion-cpu/b64", SuiteCase.FashionMnist, 64),
        }
        : new[] { new SuiteCase("tiny/b8", SuiteCase.Tiny, 8) };

    /// <summary>Builds the model, the trainer and one real batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        SuiteSettings.ApplyTorchThreads();
        (_model, _trainer, _batch) = CreateTrainer(Case);
    }

    /// <summary>A model, its trainer (Adam, lr 1e-4, no warmup, gradient clipping at 50) and one batch of real
    /// images, shared with the peak-memory runner so both measure the same thing. (lr 1e-3 without warmup drove
    /// the loss of one repeated batch to NaN within a few steps, and a skipped step is only a forward pass.)</summary>
    public static (GlowModel Model, GlowTrainer Trainer, ImageSet Batch) CreateTrainer(SuiteCase suiteCase)
    {
        var model = BenchmarkData.CreateModel(suiteCase);
        var options = new TrainingOptions
        {
            BatchSize = suiteCase.Images,
            LearningRate = 1e-4,
            WarmupSteps = 0,
            DropLast = true,
            Seed = 1,
        };
        var trainer = new GlowTrainer(model, options);
        var batch = BenchmarkData.RealImages(suiteCase.UsesCifar, suiteCase.Images);
        return (model, trainer, batch);
    }

    /// <summary>One training step on one batch.</summary>
    [Benchmark]
    public EpochRecord TrainStep() => Step(_trainer!, _batch!);

    /// <summary>Runs one step and refuses a skipped one, whose time would be a forward pass's only.</summary>
    public static EpochRecord Step(GlowTrainer trainer, ImageSet batch)
    {
        var record = trainer.RunEpoch(batch, validation: null);
        if (record.SkippedSteps > 0)
        {
            throw new InvalidOperationException($"Training step {record.Epoch} was skipped (loss or gradient not "
                + "finite), so its time would not be a training step's; lower the learning rate.");
        }

        return record;
    }

    /// <summary>Releases the native memory of the case.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _trainer?.Dispose();
        _batch?.Dispose();
        _model?.Dispose();
    }
}
