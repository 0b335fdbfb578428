using GlowML.Experiments;
using GlowML.Flows;
using GlowML.Training;
using Xunit;

namespace GlowML.Tests.Experiments;

public class ConfigTests
{
    [Theory]
    [InlineData("config.default.json")]
    [InlineData("fashion-mnist.cpu.json")]
    [InlineData("cifar10.cpu.json")]
    public void ShippedConfigsAreValid(string file)
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "configs", file);
        var config = ExperimentConfig.Parse(File.ReadAllText(path), path);
        Assert.True(config.Training.BatchSize >= 1);
    }

    [Fact]
    public void TheDefaultConfigIsTheTutorials()
    {
        var config = ExperimentConfig.Parse(ConfigValidator.DefaultConfigText, "default");
        Assert.Equal(GlowML.Data.DatasetKind.Cifar10, config.Data.Dataset);
        Assert.Equal(32, config.Data.ImageSize);
        var m = config.Model;
        Assert.Equal((3, 32, 2, PermutationKind.Conv, CouplingKind.Affine, 512, 3, 8),
            (m.NumBlocks, m.NumFlows, m.SqueezingFactor, m.Permutation, m.Coupling, m.NumFilters, m.KernelSize,
                m.PixelDepth));
        var t = config.Training;
        Assert.Equal((32, 1e-4, 2, 5, OptimizerKind.Adam),
            (t.BatchSize, t.LearningRate, t.SchedulerPatience, t.EarlyStoppingPatience, t.Optimizer));
    }

    [Fact]
    public void EveryViolationIsReportedWithItsJsonPath()
    {
        const string json = """
            {
              "data": { "dataset": "svhn" },
              "model": { "num_blocks": 0, "permutation": "rotate", "kernel_size": 4, "colour": true },
              "training": { "lr": -1 }
            }
            """;
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Parse(json, "bad.json"));
        Assert.Contains("bad.json", e.Message);
        foreach (var path in new[]
                 {
                     "$.data.dataset", "$.model.num_blocks", "$.model.permutation", "$.model.kernel_size", "$.model.colour",
                     "$.training.lr",
                 })
        {
            Assert.Contains(e.Violations, v => v.StartsWith(path + ":", StringComparison.Ordinal));
        }

        Assert.Contains(e.Violations, v => v.Contains("unknown setting", StringComparison.Ordinal));
    }

    [Fact]
    public void MalformedJsonIsReportedNotThrownRaw()
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Parse("{ \"data\": ", "broken.json"));
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void InitCreatesTheTutorialsFoldersAndRefusesAnExistingExperiment()
    {
        using var folder = TestPaths.NewTempFolder();
        var config = Path.Combine(TestPaths.RepositoryRoot, "configs", "fashion-mnist.cpu.json");
        var experiment = Experiment.Create(folder.Path, "fm", config, seed: 42);
        foreach (var sub in new[] { "checkpoints", "tensorboard", "results" })
        {
            Assert.True(Directory.Exists(Path.Combine(experiment.Directory, sub)), sub);
        }

        Assert.True(File.Exists(experiment.LogPath));
        Assert.Equal(42, Experiment.Open(folder.Path, "fm").Config.Training.Seed);
        var e = Assert.Throws<IOException>(() => Experiment.Create(folder.Path, "fm", config));
        Assert.Contains("already exists", e.Message);
        var missing = Assert.Throws<DirectoryNotFoundException>(() => Experiment.Open(folder.Path, "nope"));
        Assert.Contains("glow init", missing.Message);
    }
}
