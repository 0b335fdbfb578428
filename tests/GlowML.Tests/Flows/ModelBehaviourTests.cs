using GlowML.Flows;
using GlowML.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Flows;

public class ModelBehaviourTests
{
    [Fact]
    public void ActNormInitialisesToZeroMeanUnitStdOnItsFirstBatch()
    {
        using var scope = NewDisposeScope();
        var layer = new ActNorm(3);
        Assert.False(layer.IsInitialized);
        var x = rand(16, 3, 5, 5) * tensor(new float[] { 1f, 5f, 0.1f }).view(1, 3, 1, 1) + 2;
        var (y, _) = layer.forward(x);
        Assert.True(layer.IsInitialized);
        var mean = y.mean(new long[] { 0, 2, 3 });
        var std = y.std(new long[] { 0, 2, 3 }, unbiased: false);
        Assert.True(mean.abs().max().item<float>() < 1e-4, "per-channel mean");
        Assert.True((std - 1).abs().max().item<float>() < 1e-3, "per-channel std");

        // A second, different batch must not re-initialise.
        var before = layer.LogScale.clone();
        layer.forward(x * 10);
        Assert.True(layer.LogScale.eq(before).all().item<bool>());
    }

    public static TheoryData<PermutationKind> Permutations()
    {
        var data = new TheoryData<PermutationKind>();
        foreach (var p in Enum.GetValues<PermutationKind>())
        {
            data.Add(p);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Permutations))]
    public void SaveThenLoadGivesIdenticalBitsPerDimAndKeepsActNorm(PermutationKind permutation)
    {
        var a = TinyModels.Architecture(3, 8, 8, blocks: 2, permutation: permutation);
        var path = Path.Combine(Path.GetTempPath(), $"glowml-{Guid.NewGuid():N}.glow");
        try
        {
            using var scope = NewDisposeScope();
            var model = TinyModels.Trained(a, seed: 5);
            var x = TinyModels.Images(a, 4, seed: 11);
            Tensor expected;
            using (no_grad())
            {
                expected = model.BitsPerDim(x);
            }

            GlowModelFile.Save(model, path, new Dictionary<string, string> { ["note"] = "test" });
            var (loaded, info) = GlowModelFile.Load(path);
            Assert.Equal(a, info.Architecture);
            Assert.Equal("test", info.Metadata["note"]);

            // A batch with very different statistics first: a re-initialising ActNorm would change the scores.
            using (no_grad())
            {
                loaded.train();
                loaded.forward(x * 0.01 + 0.9);
                loaded.eval();
                Assert.True(loaded.BitsPerDim(x).eq(expected).all().item<bool>(), "bits/dim after reload");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CorruptOrForeignModelFilesAreRefusedByName()
    {
        var a = TinyModels.Architecture(1, 4, 4, blocks: 1);
        var path = Path.Combine(Path.GetTempPath(), $"glowml-{Guid.NewGuid():N}.glow");
        try
        {
            using var scope = NewDisposeScope();
            GlowModelFile.Save(new GlowModel(a, 1), path);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
            var truncated = Assert.Throws<InvalidDataException>(() => GlowModelFile.Load(path));
            Assert.Contains(path, truncated.Message);
            Assert.Contains("corrupt", truncated.Message);
            File.WriteAllText(path, "not a model at all, just text");
            var foreign = Assert.Throws<InvalidDataException>(() => GlowModelFile.Load(path));
            Assert.Contains("not a GlowML model file", foreign.Message);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<FileNotFoundException>(() => GlowModelFile.Load(path));
    }

    [Fact]
    public void BitsPerDimMatchesAHandComputedVolumePreservingCase()
    {
        // Additive couplings start as the identity, the reverse permutation and squeezes preserve volume, zero
        // ActNorms are the identity and the untrained priors are standard normal. So log p(x) is the standard
        // normal log-density of the values x - 0.5 (in some order), and bpd follows from Quantization's formula.
        var a = TinyModels.Architecture(1, 4, 4, blocks: 2, permutation: PermutationKind.Reverse,
            coupling: CouplingKind.Additive, learnTop: false, pixelDepth: 5);
        using var scope = NewDisposeScope();
        var model = new GlowModel(a, 1);
        foreach (var (name, buffer) in model.named_buffers())
        {
            if (name.EndsWith("initialized", StringComparison.Ordinal))
            {
                buffer.fill_(1);
            }
        }

        float[] values = Enumerable.Range(0, 16).Select(i => i / 16f).ToArray();
        var x = tensor(values).reshape(1, 1, 4, 4);
        double sumSquares = values.Sum(v => (v - 0.5) * (v - 0.5));
        double d = 16;
        double logP = -0.5 * d * Math.Log(2 * Math.PI) - 0.5 * sumSquares;
        double expected = (-logP + d * Math.Log(32)) / (d * Math.Log(2));
        using var noGrad = no_grad();
        Assert.Equal(expected, model.BitsPerDim(x).item<float>(), 4);
        Assert.Equal(expected, Quantization.BitsPerDim(logP, 16, 5), 10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(64)]
    public void SamplesHaveTheImageShapeAtAnyBatchSize(int count)
    {
        var a = TinyModels.Architecture(3, 8, 8);
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(a);
        using var noGrad = no_grad();
        foreach (var temperature in new[] { 0.0, 0.7 })
        {
            var samples = model.Sample(count, temperature, new Generator(3));
            Assert.Equal(new long[] { count, 3, 8, 8 }, samples.shape);
            Assert.True(samples.isfinite().all().item<bool>());
        }
    }

    [Fact]
    public void TemperatureZeroGivesThePriorMeanWhateverTheNoise()
    {
        var a = TinyModels.Architecture(1, 8, 8);
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(a);
        using var noGrad = no_grad();
        var first = model.Sample(2, 0.0, new Generator(1));
        var second = model.Sample(2, 0.0, new Generator(2));
        var hot = model.Sample(2, 0.7, new Generator(1));
        Assert.True((first - second).abs().max().item<float>() < 1e-6);
        Assert.True((first[0] - first[1]).abs().max().item<float>() < 1e-6);
        Assert.True((hot - first).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void TrainingStepsDoNotLeakNativeTensors()
    {
        var a = TinyModels.Architecture(1, 8, 8, flows: 2);
        var model = new GlowModel(a, 1);
        var optimizer = optim.Adam(model.parameters(), 1e-3);
        var x = TinyModels.Images(a, 8);
        long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.BitsPerDim(x).mean();
            loss.backward();
            optimizer.step();
        }

        for (int i = 0; i < 5; i++)
        {
            Step();
        }

        long before = Live();
        for (int i = 0; i < 200; i++)
        {
            Step();
        }

        Assert.InRange(Live() - before, -2, 2);
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeightsAndAnotherSeedDoesNot()
    {
        var a = TinyModels.Architecture(1, 8, 8, permutation: PermutationKind.Shuffle);
        using var scope = NewDisposeScope();
        var first = new GlowModel(a, 3).state_dict();
        var second = new GlowModel(a, 3).state_dict();
        var other = new GlowModel(a, 4).state_dict();
        Assert.All(first, p => Assert.True(p.Value.eq(second[p.Key]).all().item<bool>(), p.Key));
        Assert.Contains(first, p => p.Key.EndsWith("conv_in.weight", StringComparison.Ordinal)
            && !p.Value.eq(other[p.Key]).all().item<bool>());
    }
}
