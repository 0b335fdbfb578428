using System.Text.Json;
using Xunit;

namespace GlowML.Tests.Cli;

/// <summary>The experiment workflow end to end through the real <c>glow</c> command, on a real Fashion-MNIST slice.</summary>
public class CliWorkflowTests
{
    private const string TinyConfig = """
        {
          "data": { "dataset": "fashion-mnist", "path": "fashion-mnist", "max_train_images": 256,
                    "max_validation_images": 64 },
          "model": { "num_blocks": 2, "num_flows": 2, "num_filters": 16 },
          "training": { "batch_size": 32, "lr": 0.001, "max_epochs": 1, "log_period": 4, "warmup_steps": 4 },
          "testing": { "batch_size": 64, "sample_count": 16 }
        }
        """;

    [Fact]
    public void InitTrainInfoTestReleaseAndSample()
    {
        using var folder = TestPaths.NewTempFolder();
        var configPath = Path.Combine(folder.Path, "tiny.json");
        File.WriteAllText(configPath, TinyConfig);
        string[] common = { "--experiment-name", "tiny", "--experiments-path", folder.Path, "--data-path",
            TestPaths.SharedData };
        string[] With(params string[] args) => args.Concat(common).ToArray();

        var init = GlowCli.Run(folder.Path, With("init", "--config-path", configPath, "--seed", "5"));
        Assert.True(init.ExitCode == 0, init.Error);

        var again = GlowCli.Run(folder.Path, With("init", "--config-path", configPath));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error);
        Assert.DoesNotContain("   at ", again.Error);

        var train = GlowCli.Run(folder.Path, With("train", "--max-epochs", "1"));
        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        Assert.Contains("epoch 1 done", train.Output);
        var experiment = Path.Combine(folder.Path, "tiny");
        Assert.True(File.Exists(Path.Combine(experiment, "checkpoints", "epoch-1.ckpt")));
        Assert.Contains("epoch 1 done", File.ReadAllText(Path.Combine(experiment, "verbose.log")));
        var metrics = File.ReadAllLines(Path.Combine(experiment, "metrics.jsonl"));
        Assert.Equal("config", JsonDocument.Parse(metrics[0]).RootElement.GetProperty("type").GetString());
        Assert.Contains(metrics, l => l.Contains("\"type\":\"epoch\"", StringComparison.Ordinal));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(experiment, "tensorboard"), "*", SearchOption.AllDirectories));

        var info = GlowCli.Run(folder.Path, With("info"));
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("epoch-1.ckpt", info.Output);

        var test = GlowCli.Run(folder.Path, With("test", "--epoch", "1", "--count", "9"));
        Assert.True(test.ExitCode == 0, test.Error);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(experiment, "results", "epoch-1-test.json")));
        double bpd = report.RootElement.GetProperty("test_bpd").GetDouble();
        Assert.InRange(bpd, 1.0, 8.0);
        Assert.True(new FileInfo(Path.Combine(experiment, "results", "epoch-1-samples.png")).Length > 100);

        var release = GlowCli.Run(folder.Path, With("create-release", "--epoch", "1"));
        Assert.True(release.ExitCode == 0, release.Error);
        var releasePath = Path.Combine(experiment, "checkpoints", "epoch-1.release.glow");
        Assert.True(File.Exists(releasePath));
        Assert.True(new FileInfo(releasePath).Length < new FileInfo(Path.Combine(experiment, "checkpoints",
            "epoch-1.ckpt")).Length, "a release holds no optimiser state");

        // info rounds a release's bits/dim as it does a checkpoint's, to 4 decimals.
        var released = GlowML.Model.GlowModelFile.ReadInfo(releasePath).Metadata;
        var infoAfter = GlowCli.Run(folder.Path, With("info"));
        Assert.True(infoAfter.ExitCode == 0, infoAfter.Error);
        foreach (var key in new[] { "train_bpd", "validation_bpd" })
        {
            double value = double.Parse(released[key], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), infoAfter.Output);
            Assert.DoesNotContain(released[key], infoAfter.Output);
        }

        var png = Path.Combine(folder.Path, "samples.png");
        var sample = GlowCli.Run(folder.Path, "sample", "--release", releasePath, "--count", "4", "--temperature",
            "0.5", "--output", png);
        Assert.True(sample.ExitCode == 0, sample.Error);
        Assert.True(File.Exists(png));
    }

    [Fact]
    public void ErrorsAreShortAndActionable()
    {
        using var folder = TestPaths.NewTempFolder();
        var missing = GlowCli.Run(folder.Path, "train", "--experiment-name", "ghost", "--experiments-path", folder.Path);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
        Assert.True(missing.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 3, missing.Error);

        var bad = Path.Combine(folder.Path, "bad.json");
        File.WriteAllText(bad, """{ "data": { "dataset": "svhn" }, "model": { "num_blocks": 0 }, "training": {} }""");
        var init = GlowCli.Run(folder.Path, "init", "--experiment-name", "x", "--experiments-path", folder.Path,
            "--config-path", bad);
        Assert.Equal(1, init.ExitCode);
        Assert.Contains("$.data.dataset", init.Error);
        Assert.Contains("$.model.num_blocks", init.Error);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "x")), "a refused config must create nothing");

        // Without --data-path the default folder 'data' is searched; the message names it and says what to pass.
        var fashion = Path.Combine(TestPaths.RepositoryRoot, "configs", "fashion-mnist.cpu.json");
        Assert.Equal(0, GlowCli.Run(folder.Path, "init", "--experiment-name", "fm", "--experiments-path", folder.Path,
            "--config-path", fashion).ExitCode);
        var noData = GlowCli.Run(folder.Path, "train", "--experiment-name", "fm", "--experiments-path", folder.Path);
        Assert.Equal(1, noData.ExitCode);
        Assert.Contains("glow: fashion-mnist training images not found", noData.Error);
        Assert.Contains(Path.Combine(folder.Path, "data", "fashion-mnist"), noData.Error);
        Assert.Contains("--data-path", noData.Error);

        var verbose = GlowCli.Run(folder.Path, "info", "--experiment-name", "ghost", "--experiments-path",
            folder.Path, "--verbose");
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("at GlowML", verbose.Error + verbose.Output);

        var usage = GlowCli.Run(folder.Path, "sample", "--count", "3");
        Assert.Equal(2, usage.ExitCode);

        // A misspelt option is an error, not silently ignored.
        var typo = GlowCli.Run(folder.Path, "info", "--experiment-name", "ghost", "--experiments-path", folder.Path,
            "--epoc", "4");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("epoc", typo.Error);

        // sample refuses non-finite temperatures and never overwrites a file that is not a PNG.
        var release = Path.Combine(TestPaths.RepositoryRoot, "models", "fashion-mnist", "fashion-mnist.release.glow");
        var nan = GlowCli.Run(folder.Path, "sample", "--release", release, "--temperature", "NaN", "--output",
            Path.Combine(folder.Path, "x.png"));
        Assert.Equal(2, nan.ExitCode);
        var precious = Path.Combine(folder.Path, "precious.png");
        File.WriteAllText(precious, "not an image");
        var overwrite = GlowCli.Run(folder.Path, "sample", "--release", release, "--count", "2", "--output", precious);
        Assert.Equal(1, overwrite.ExitCode);
        Assert.Contains("refusing to overwrite", overwrite.Error);
        Assert.Equal("not an image", File.ReadAllText(precious));
    }
}
