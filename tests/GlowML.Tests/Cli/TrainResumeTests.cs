using System.Text.Json;
using Xunit;

namespace GlowML.Tests.Cli;

/// <summary><c>glow train --epoch N</c> on an experiment that already has later checkpoints, through the real
/// command on a real Fashion-MNIST slice.</summary>
public sealed class TrainResumeTests : IDisposable
{
    private const string TinyConfig = """
        {
          "data": { "dataset": "fashion-mnist", "path": "fashion-mnist", "max_train_images": 64,
                    "max_validation_images": 32 },
          "model": { "num_blocks": 2, "num_flows": 1, "num_filters": 8 },
          "training": { "batch_size": 32, "lr": 0.001, "max_epochs": 3, "log_period": 1, "warmup_steps": 2 },
          "testing": { "batch_size": 32, "sample_count": 4 }
        }
        """;

    private readonly TestPaths.TempFolder _folder = TestPaths.NewTempFolder();

    public void Dispose() => _folder.Dispose();

    private string Experiment => Path.Combine(_folder.Path, "tiny");

    private string Checkpoint(int epoch) => Path.Combine(Experiment, "checkpoints", $"epoch-{epoch}.ckpt");

    private (int ExitCode, string Output, string Error) Glow(params string[] args) =>
        GlowCli.Run(_folder.Path, [.. args, "--experiment-name", "tiny", "--experiments-path", _folder.Path,
            "--data-path", TestPaths.SharedData]);

    [Fact]
    public void ASwitchedOptimiserIsRefusedOnResumeNamingTheCheckpointAndTheField()
    {
        var config = Path.Combine(_folder.Path, "tiny.json");
        File.WriteAllText(config, TinyConfig.Replace("\"max_epochs\": 3", "\"max_epochs\": 1"));
        Assert.Equal(0, Glow("init", "--config-path", config).ExitCode);
        var train = Glow("train");
        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        var experimentConfig = Path.Combine(Experiment, "config.json");
        File.WriteAllText(experimentConfig, File.ReadAllText(experimentConfig)
            .Replace("\"lr\": 0.001", "\"lr\": 0.001, \"optimizer\": \"adamax\""));

        var resumed = Glow("train", "--max-epochs", "2");
        Assert.True(resumed.ExitCode == 1, resumed.Output + resumed.Error);
        Assert.Contains(Checkpoint(1), resumed.Error);
        Assert.Contains("set training.optimizer back to \"adam\"", resumed.Error);
        Assert.False(File.Exists(Checkpoint(2)));
    }

    [Fact]
    public void AnEarlierEpochIsRefusedWhileLaterCheckpointsExistUnlessOverwriteLaterIsGiven()
    {
        var config = Path.Combine(_folder.Path, "tiny.json");
        File.WriteAllText(config, TinyConfig);
        Assert.Equal(0, Glow("init", "--config-path", config).ExitCode);
        var train = Glow("train");
        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        var metricsPath = Path.Combine(Experiment, "metrics.jsonl");
        var metricsBefore = File.ReadAllText(metricsPath);
        var second = File.ReadAllBytes(Checkpoint(2));

        var refused = Glow("train", "--epoch", "1", "--max-epochs", "2");
        Assert.True(refused.ExitCode == 1, refused.Output + refused.Error);
        Assert.Contains("epoch-2.ckpt", refused.Error);
        Assert.Contains("epoch-3.ckpt", refused.Error);
        Assert.Contains("--overwrite-later", refused.Error);
        Assert.Equal(second, File.ReadAllBytes(Checkpoint(2)));
        Assert.True(File.Exists(Checkpoint(3)));
        Assert.Equal(metricsBefore, File.ReadAllText(metricsPath));

        var negative = Glow("train", "--epoch", "-1");
        UsageErrorTests.AssertUsageError(negative, "--epoch must be a whole number from 1 to");
        Assert.DoesNotContain("epoch--1", negative.Error);

        var release = Glow("create-release", "--epoch", "3");
        Assert.True(release.ExitCode == 0, release.Output + release.Error);
        var releasePath = Path.Combine(Experiment, "checkpoints", "epoch-3.release.glow");
        Assert.True(File.Exists(releasePath));

        var again = Glow("train", "--epoch", "1", "--max-epochs", "2", "--overwrite-later");
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.False(File.Exists(Checkpoint(3)), "the later checkpoint is deleted");
        Assert.False(File.Exists(releasePath), "a release of a deleted epoch must not outlive it");
        Assert.NotEqual(second, File.ReadAllBytes(Checkpoint(2)));
        Assert.Contains("epoch-3.ckpt", again.Output);
        Assert.Contains("deleted", File.ReadAllText(Path.Combine(Experiment, "verbose.log")));

        // Every epoch and every step appears once: the rows of the redone epoch 2 and of epoch 3 were dropped.
        var rows = File.ReadAllLines(metricsPath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("config", rows[0].GetProperty("type").GetString());
        var epochs = rows.Where(r => r.GetProperty("type").GetString() == "epoch")
            .Select(r => r.GetProperty("epoch").GetInt32()).ToList();
        Assert.Equal([1, 2], epochs);
        var steps = rows.Where(r => r.GetProperty("type").GetString() == "step")
            .Select(r => r.GetProperty("global_step").GetInt64()).ToList();
        Assert.Equal(steps.Distinct().Count(), steps.Count);
        Assert.DoesNotContain(rows, r => r.TryGetProperty("epoch", out var e) && e.GetInt32() > 2);

        // A release left without its checkpoint is protected like one: resuming from epoch 1 would delete it.
        Assert.Equal(0, Glow("create-release", "--epoch", "2").ExitCode);
        File.Delete(Checkpoint(2));
        var stale = Glow("train", "--max-epochs", "2");
        Assert.True(stale.ExitCode == 1, stale.Output + stale.Error);
        Assert.Contains("epoch-2.release.glow", stale.Error);
        Assert.True(File.Exists(Path.Combine(Experiment, "checkpoints", "epoch-2.release.glow")));
    }

    [Fact]
    public void AnArchitectureEditedAfterCheckpointsExistIsRefusedNamingEachField()
    {
        var config = Path.Combine(_folder.Path, "tiny.json");
        File.WriteAllText(config, TinyConfig);
        Assert.Equal(0, Glow("init", "--config-path", config).ExitCode);
        var train = Glow("train", "--max-epochs", "1");
        Assert.True(train.ExitCode == 0, train.Output + train.Error);

        var configJson = Path.Combine(Experiment, "config.json");
        File.WriteAllText(configJson, File.ReadAllText(configJson)
            .Replace("\"num_filters\": 8", "\"num_filters\": 16", StringComparison.Ordinal)
            .Replace("\"num_flows\": 1", "\"num_flows\": 1, \"coupling\": \"additive\"", StringComparison.Ordinal));
        var resumed = Glow("train", "--max-epochs", "2");
        Assert.True(resumed.ExitCode == 1, resumed.Output + resumed.Error);
        var error = resumed.Error.Split('\n')[0];
        Assert.Contains("epoch-1.ckpt", error);
        Assert.Contains("model.num_filters: 16 in the config, 8 in the checkpoint", error);
        Assert.Contains("model.coupling: additive in the config, affine in the checkpoint", error);
        Assert.DoesNotContain("num_blocks", error);
        Assert.False(File.Exists(Checkpoint(2)), "nothing was trained");
    }
}
