using GlowML.Data;
using GlowML.Model;
using GlowML.Tests.Flows;
using GlowML.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Training;

// The flat optimiser must do exactly what TorchSharp's Adam, Adamax and clip_grad_norm_ do, only in fewer calls.
public class FlatOptimizerTests
{
    private static readonly Lazy<Tensor> Batch = new(() =>
    {
        using var images = IdxReader.ReadImages(Path.Combine(TestPaths.FashionMnist, "t10k-images-idx3-ubyte.gz"), 16);
        return BatchLoader.ToFloat(images.Pixels, 8).DetachFromDisposeScope();
    });

    private static GlowModel NewModel() =>
        new(TinyModels.Architecture(1, 28, 28, blocks: 2, flows: 2) with { NumFilters = 8 }, seed: 5);

    private static Parameter[] ParametersOf(GlowModel model) =>
        model.parameters().Where(p => p.requires_grad).ToArray();

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Adamax)]
    public void FiveStepsMatchTorchSharpsOptimiserAndClipping(OptimizerKind kind)
    {
        using var reference = NewModel();
        using var flat = NewModel();
        var referenceParameters = ParametersOf(reference);
        using var torchOptimizer = kind == OptimizerKind.Adam
            ? (OptimizerHelper)optim.Adam(referenceParameters, 1e-3)
            : optim.Adamax(referenceParameters, 1e-3);
        using var flatOptimizer = new FlatOptimizer(ParametersOf(flat), kind);
        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            torchOptimizer.zero_grad();
            reference.BitsPerDim(Batch.Value).mean().backward();
            // A small bound so that clipping really scales the gradients.
            double torchNorm = nn.utils.clip_grad_norm_(referenceParameters, 0.5);
            torchOptimizer.step();

            flatOptimizer.ZeroGrad();
            flat.BitsPerDim(Batch.Value).mean().backward();
            double flatNorm = flatOptimizer.ClipGradNorm(0.5);
            flatOptimizer.Step(1e-3);

            Assert.True(torchNorm > 0.5, $"step {step}: the gradient norm {torchNorm} must exceed the clip bound");
            Assert.Equal(torchNorm, flatNorm, 1e-4 * torchNorm);
        }

        foreach (var ((name, expected), actual) in reference.named_parameters().Zip(flat.parameters()))
        {
            double error = (expected - actual).abs().max().item<float>();
            Assert.True(error < 1e-6, $"{name} differs by {error} after five {kind} steps");
        }
    }

    [Fact]
    public void ParametersKeepTheirValuesAndGradientsAccumulateInTheFlatBuffer()
    {
        using var model = NewModel();
        var before = model.parameters().Select(p => p.detach().clone()).ToArray();
        using var optimizer = new FlatOptimizer(ParametersOf(model), OptimizerKind.Adam);
        foreach (var (old, now) in before.Zip(model.parameters()))
        {
            Assert.True(old.eq(now).all().item<bool>(), "building the optimiser must not change a parameter");
        }

        model.BitsPerDim(Batch.Value).mean().backward();
        double once = optimizer.ClipGradNorm(0);
        model.BitsPerDim(Batch.Value).mean().backward();
        double twice = optimizer.ClipGradNorm(0);
        Assert.Equal(2 * once, twice, 1e-4 * once);

        optimizer.ZeroGrad();
        Assert.Equal(0.0, optimizer.ClipGradNorm(0));
        Assert.True(model.parameters().All(p => p.grad is not null && p.grad.abs().max().item<float>() == 0));
    }

    [Fact]
    public void SavedStateResumesExactly()
    {
        using var first = NewModel();
        using var optimizer = new FlatOptimizer(ParametersOf(first), OptimizerKind.Adam);
        Train(first, optimizer, 2);
        using var stream = new MemoryStream();
        optimizer.Save(new BinaryWriter(stream));

        using var second = NewModel();
        second.load_state_dict(first.state_dict());
        using var resumed = new FlatOptimizer(ParametersOf(second), OptimizerKind.Adam);
        stream.Position = 0;
        resumed.Load(new BinaryReader(stream));

        Train(first, optimizer, 2);
        Train(second, resumed, 2);
        foreach (var (a, b) in first.parameters().Zip(second.parameters()))
        {
            Assert.True(a.eq(b).all().item<bool>(), "a resumed optimiser must continue exactly");
        }

        stream.Position = 0;
        using var other = new FlatOptimizer(ParametersOf(NewModel()), OptimizerKind.Adamax);
        var error = Assert.Throws<InvalidDataException>(() => other.Load(new BinaryReader(stream)));
        Assert.Contains("trained with adam and the config asks for adamax", error.Message);
        Assert.Contains("training.optimizer", error.Message);
    }

    [Fact]
    public void TheAverageFollowsTheWarmStartedMovingAverageAndSwapsBack()
    {
        using var model = NewModel();
        using var optimizer = new FlatOptimizer(ParametersOf(model), OptimizerKind.Adam, averageDecay: 0.5);
        Tensor[]? expected = null;
        for (int n = 1; n <= 4; n++)
        {
            Train(model, optimizer, 1);
            var now = model.parameters().Select(p => p.detach().clone()).ToArray();
            // Warm start: min(0.5, (1 + n) / (10 + n)) is 3/12, 4/13, 5/14 for updates 2 to 4.
            double decay = Math.Min(0.5, (1.0 + n) / (10.0 + n));
            expected = expected is null ? now : expected.Zip(now, (a, w) => a * decay + w * (1 - decay)).ToArray();
        }

        var current = model.parameters().Select(p => p.detach().clone()).ToArray();
        optimizer.SwapAverage();
        foreach (var (a, p) in expected!.Zip(model.parameters()))
        {
            Assert.True((a - p).abs().max().item<float>() < 1e-6, "the model must hold the average after a swap");
        }

        optimizer.SwapAverage();
        Assert.True(current.Zip(model.parameters()).All(t => t.First.eq(t.Second).all().item<bool>()),
            "a second swap must restore the current weights exactly");
        Assert.False(current.Zip(expected!).All(t => t.First.eq(t.Second).all().item<bool>()),
            "after four steps the average must differ from the current weights");
    }

    [Fact]
    public void CheckpointsHoldTheAverageAndResumeFromTheCurrentWeights()
    {
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "epoch-1.ckpt");
        var options = new TrainingOptions { BatchSize = 8, MaxEpochs = 1, Seed = 2, EmaDecay = 0.9 };
        using var images = IdxReader.ReadImages(Path.Combine(TestPaths.FashionMnist, "t10k-images-idx3-ubyte.gz"), 24);
        using var trainer = new GlowTrainer(NewModel(), options);
        var record = trainer.RunEpoch(images, images);
        CheckpointFile.Save(path, "{}", trainer);
        var checkpoint = CheckpointFile.Load(path);
        Assert.Equal(record.ValidationBitsPerDim, Evaluation.MeanBitsPerDim(checkpoint.Model, images, 8), 5);
        var averaged = trainer.WithAveragedWeights(() => trainer.Model.parameters().Select(p => p.detach().clone())
            .ToArray());
        foreach (var (a, p) in averaged.Zip(checkpoint.Model.parameters()))
        {
            Assert.True(a.eq(p).all().item<bool>(), "the checkpoint's model must be the averaged one");
        }

        using var resumed = new GlowTrainer(checkpoint.Model, options);
        resumed.Restore(checkpoint.State, checkpoint.OptimizerState);
        foreach (var (a, p) in trainer.Model.parameters().Zip(resumed.Model.parameters()))
        {
            Assert.True(a.eq(p).all().item<bool>(), "resuming must put the current weights back");
        }
    }

    [Fact]
    public void ResumingWithAveragingOffTrainsOnFromTheCurrentWeights()
    {
        using var first = NewModel();
        using var averaging = new FlatOptimizer(ParametersOf(first), OptimizerKind.Adam, averageDecay: 0.5);
        Train(first, averaging, 3);
        var current = first.parameters().Select(p => p.detach().clone()).ToArray();
        using var stream = new MemoryStream();
        averaging.Save(new BinaryWriter(stream));

        using var second = NewModel();
        averaging.SwapAverage();
        second.load_state_dict(first.state_dict());
        averaging.SwapAverage();
        using var plain = new FlatOptimizer(ParametersOf(second), OptimizerKind.Adam);
        stream.Position = 0;
        plain.Load(new BinaryReader(stream));
        Assert.False(plain.HasAverage);
        Assert.True(current.Zip(second.parameters()).All(t => t.First.eq(t.Second).all().item<bool>()),
            "the current weights must come back, not the average");
    }

    private static void Train(GlowModel model, FlatOptimizer optimizer, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            model.BitsPerDim(Batch.Value).mean().backward();
            optimizer.ClipGradNorm(50);
            optimizer.Step(1e-3);
        }
    }
}
