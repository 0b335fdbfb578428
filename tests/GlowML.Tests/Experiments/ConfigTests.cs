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
    public void DuplicateKeysAreRefusedNamingTheKeyAndItsJsonPath()
    {
        const string json = """
            {
              "data": { "dataset": "fashion-mnist" },
              "model": { "num_filters": 64, "num_blocks": 2, "num_filters": 128 },
              "training": { "lr": 0.001 },
              "training": { "lr": 0.01 }
            }
            """;
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Parse(json, "dup.json"));
        Assert.Contains("dup.json", e.Message);
        Assert.Contains(e.Violations, v => v.StartsWith("$.model.num_filters:", StringComparison.Ordinal)
            && v.Contains("duplicate key 'num_filters'", StringComparison.Ordinal));
        Assert.Contains(e.Violations, v => v.StartsWith("$.training:", StringComparison.Ordinal)
            && v.Contains("duplicate key 'training'", StringComparison.Ordinal));
    }

    [Fact]
    public void SchemaFileProblemsNameTheSchemaFile()
    {
        using var folder = TestPaths.NewTempFolder();
        var config = Path.Combine(TestPaths.RepositoryRoot, "configs", "fashion-mnist.cpu.json");
        var missing = Path.Combine(folder.Path, "missing.schema.json");
        var notFound = Assert.Throws<FileNotFoundException>(() => Experiment.Create(folder.Path, "x", config, missing));
        Assert.Contains(missing, notFound.Message);

        var broken = new Dictionary<string, string>
        {
            ["invalid-json.schema.json"] = """{ "type": """,
            ["array.schema.json"] = "[1, 2, 3]",
            ["a-config.schema.json"] = File.ReadAllText(config),
            ["bad-keyword.schema.json"] = """{ "type": "object", "minProperties": "two" }""",
            ["unresolvable.schema.json"] = """{ "$ref": "https://glowml.invalid/none.schema.json" }""",
        };
        foreach (var (name, text) in broken)
        {
            var schema = Path.Combine(folder.Path, name);
            File.WriteAllText(schema, text);
            var e = Record.Exception(() => Experiment.Create(folder.Path, "x", config, schema));
            Assert.NotNull(e);
            Assert.Contains($"Schema file '{schema}'", e.Message);
            Assert.DoesNotContain("not a valid GlowML config", e.Message);
            Assert.False(Directory.Exists(Path.Combine(folder.Path, "x")), name);
        }
    }

    [Fact]
    public void AnEditedCopyOfTheShippedSchemaKeepingItsIdIsUsable()
    {
        using var folder = TestPaths.NewTempFolder();
        var config = Path.Combine(TestPaths.RepositoryRoot, "configs", "fashion-mnist.cpu.json");
        var schema = Path.Combine(folder.Path, "strict.schema.json");
        var shipped = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "configs", "config.schema.json"));
        File.WriteAllText(schema, shipped.Replace("\"title\": \"GlowML experiment configuration\"",
            "\"title\": \"A stricter copy\", \"required\": [\"data\", \"model\", \"training\"]",
            StringComparison.Ordinal));

        var experiment = Experiment.Create(folder.Path, "copy", config, schema);
        Assert.True(File.Exists(experiment.ConfigPath));
        // The built-in schema, with the same $id, still validates afterwards.
        Assert.Empty(ConfigValidator.Validate(File.ReadAllText(config)));
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
