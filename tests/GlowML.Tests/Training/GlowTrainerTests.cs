using GlowML.Data;
using GlowML.Model;
using GlowML.Tests.Flows;
using GlowML.Training;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Training;

public class GlowTrainerTests
{
    private static readonly Lazy<ImageSet> Images = new(() =>
        IdxReader.ReadImages(Path.Combine(TestPaths.FashionMnist, "t10k-images-idx3-ubyte.gz"), 160));

    private static ImageSet Train => Images.Value.Take(128);

    private static ImageSet Validation => Images.Value.Subset(Enumerable.Range(128, 32).Select(i => (long)i).ToArray());

    private static GlowArchitecture Tiny => TinyModels.Architecture(1, 28, 28, blocks: 2, flows: 2);

    private static TrainingOptions Options(int epochs = 1) => new()
    {
        BatchSize = 32, LearningRate = 1e-3, MaxEpochs = epochs, LogPeriod = 1, Seed = 3, WarmupSteps = 4,
    };

    [Fact]
    public void TheSameSeedGivesBitIdenticalLosses()
    {
        var first = new RecordingObserver();
        var second = new RecordingObserver();
        using (var trainer = new GlowTrainer(new GlowModel(Tiny, 3), Options(), observer: first))
        {
            trainer.Fit(Train, Validation);
        }

        using (var trainer = new GlowTrainer(new GlowModel(Tiny, 3), Options(), observer: second))
        {
            trainer.Fit(Train, Validation);
        }

        Assert.Equal(4, first.Steps.Count);
        Assert.Equal(first.Steps.Select(s => s.BitsPerDim), second.Steps.Select(s => s.BitsPerDim));
        Assert.Equal(first.Epochs[0].ValidationBitsPerDim, second.Epochs[0].ValidationBitsPerDim);
        Assert.True(first.Steps[^1].BitsPerDim < first.Steps[0].BitsPerDim, "training must lower the loss");
    }

    [Fact]
    public void WarmupRaisesTheLearningRateLinearly()
    {
        var observer = new RecordingObserver();
        using var trainer = new GlowTrainer(new GlowModel(Tiny, 3), Options(), observer: observer);
        trainer.Fit(Train, null);
        Assert.Equal(new[] { 0.25e-3, 0.5e-3, 0.75e-3, 1e-3 }, observer.Steps.Select(s => s.LearningRate),
            new ToleranceComparer(1e-12));
    }

    [Fact]
    public void ResumingFromACheckpointContinuesLikeAnUninterruptedRun()
    {
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "epoch-1.ckpt");
        var uninterrupted = new RecordingObserver();
        using (var trainer = new GlowTrainer(new GlowModel(Tiny, 3), Options(2), observer: uninterrupted))
        {
            trainer.Fit(Train, Validation);
        }

        using (var trainer = new GlowTrainer(new GlowModel(Tiny, 3), Options(1)))
        {
            trainer.Fit(Train, Validation);
            CheckpointFile.Save(path, "{}", trainer);
        }

        var resumed = new RecordingObserver();
        var checkpoint = CheckpointFile.Load(path);
        Assert.Equal(1, checkpoint.State.Epoch);
        using (var trainer = new GlowTrainer(checkpoint.Model, Options(2), observer: resumed))
        {
            trainer.Restore(checkpoint.State, checkpoint.OptimizerState);
            trainer.Fit(Train, Validation);
        }

        var expected = uninterrupted.Steps.Where(s => s.Epoch == 2).Select(s => s.BitsPerDim).ToArray();
        Assert.Equal(4, expected.Length);
        Assert.Equal(expected, resumed.Steps.Select(s => s.BitsPerDim));
        Assert.Equal(uninterrupted.Epochs[1].ValidationBitsPerDim, resumed.Epochs[0].ValidationBitsPerDim);
    }

    [Fact]
    public void NonFiniteStepsAreSkippedThenTrainingStopsWithAClearMessage()
    {
        var model = new GlowModel(Tiny, 3);
        using (no_grad())
        {
            model.forward(rand(4, 1, 28, 28));
            model.TopLogStd.fill_(float.NegativeInfinity);
        }

        var observer = new RecordingObserver();
        using var trainer = new GlowTrainer(model, Options() with { MaxBadSteps = 3 }, observer: observer);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(Train, null));
        Assert.Contains("3 consecutive steps", e.Message);
        Assert.Equal(3, observer.Messages.Count(m => m.Contains("step skipped", StringComparison.Ordinal)));
    }

    [Fact]
    public void PlateausReduceTheLearningRateThenStopEarly()
    {
        // A learning rate so small that float32 weights cannot move: validation never improves after epoch 1.
        var options = Options(10) with
        {
            LearningRate = 1e-30, WarmupSteps = 0, SchedulerPatience = 1, SchedulerFactor = 0.5,
            EarlyStoppingPatience = 3,
        };
        var observer = new RecordingObserver();
        using var trainer = new GlowTrainer(new GlowModel(Tiny, 3), options, observer: observer);
        var state = trainer.Fit(Train.Take(64), Validation);
        Assert.True(state.StoppedEarly);
        Assert.Equal(4, state.Epoch);
        Assert.Equal(new[] { 1e-30, 1e-30, 0.5e-30, 0.5e-30 }, state.History.Select(r => r.LearningRate),
            new ToleranceComparer(1e-40));
    }

    [Fact]
    public void TruncatedCheckpointsAreRefusedByName()
    {
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "epoch-1.ckpt");
        using (var trainer = new GlowTrainer(new GlowModel(Tiny, 3), Options()))
        {
            CheckpointFile.Save(path, "{}", trainer);
        }

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AFailedWriteLeavesThePreviousFileIntact()
    {
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "file.bin");
        AtomicFile.Write(path, s => s.Write(new byte[] { 1, 2, 3 }));
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[1000]);
            throw new IOException("killed mid-write");
        }));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
