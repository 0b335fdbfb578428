using GlowML.Experiments;
using GlowML.Model;
using GlowML.Ood;
using GlowML.Tests.Flows;
using GlowML.Training;
using Onnx;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Cli;

/// <summary><c>glow ood</c> and <c>glow export-onnx</c> through the real command, on a tiny release.</summary>
public sealed class OodCliTests : IDisposable
{
    private readonly TestPaths.TempFolder _folder = TestPaths.NewTempFolder();
    private readonly string _release;

    public OodCliTests()
    {
        _release = Path.Combine(_folder.Path, "tiny.release.glow");
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(TinyModels.Architecture(height: 28, width: 28));
        GlowModelFile.Save(model, _release, new Dictionary<string, string>
        {
            ["experiment"] = "tiny", ["epoch"] = "3", ["validation_bpd"] = "4.25", ["train_bpd"] = "4.5",
            ["config"] = """{ "model": { "num_blocks": 2 } }""",
        }, kind: "release");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void OodWritesTheReportAndPrintsTheTable()
    {
        var report = Path.Combine(_folder.Path, "report");
        var run = GlowCli.Run(_folder.Path, "ood", "--release", _release, "--in", "fashion-mnist", "--out", "mnist",
            "--out", "noise", "--complexity", "all", "--count", "24", "--report", report, "--data-path",
            TestPaths.SharedData);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var evaluation = OodReport.Read(Path.Combine(report, OodReport.JsonFile));
        Assert.Equal("fashion-mnist", evaluation.InSet);
        Assert.Equal(["mnist", "noise"], evaluation.OutSets.Select(o => o.OutSet));
        Assert.All(evaluation.OutSets, o =>
            Assert.Equal(["-log-likelihood", "S (png)", "S (webp)"], o.Methods.Select(m => m.Method)));
        Assert.All(evaluation.OutSets.SelectMany(o => o.Methods), m => Assert.Equal((24, 24), (m.InCount, m.OutCount)));
        Assert.True(File.Exists(Path.Combine(report, "roc-noise.png")));

        // The console table shows each row's AUROC as report.json has it.
        var auroc = evaluation.OutSets[1].Methods[2].Metrics.Auroc;
        Assert.Contains(auroc.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), run.Output);
        Assert.Contains("S (webp)", run.Output);
        Assert.Contains($"report: {Path.Combine(report, OodReport.MarkdownFile)}", run.Output);
    }

    [Fact]
    public void ExportOnnxWritesBothGraphsWithTheReleaseMetadata()
    {
        var output = Path.Combine(_folder.Path, "onnx");
        var run = GlowCli.Run(_folder.Path, "export-onnx", "--release", _release, "--output", output);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        foreach (var file in new[] { "score.onnx", "sample.onnx" })
        {
            var path = Path.Combine(output, file);
            Assert.Contains(path, run.Output);
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal("tiny", metadata["experiment"]);
            Assert.Equal("3", metadata["epoch"]);
            Assert.Equal("4.25", metadata["validation_bpd"]);
            Assert.Equal("""{ "model": { "num_blocks": 2 } }""", metadata["config"]);
            Assert.False(metadata.ContainsKey("train_bpd"), "only the documented keys are copied");
            Assert.Equal("28", metadata["height"]);
        }
    }

    [Fact]
    public void BothCommandsTakeAnExperimentsCheckpoint()
    {
        var configPath = Path.Combine(_folder.Path, "tiny.json");
        File.WriteAllText(configPath,
            """{ "data": { "dataset": "fashion-mnist" }, "model": { "num_blocks": 2 }, "training": {} }""");
        var experiments = Path.Combine(_folder.Path, "experiments");
        var experiment = Experiment.Create(experiments, "exp", configPath);
        using (var scope = NewDisposeScope())
        using (var trainer = new GlowTrainer(TinyModels.Trained(TinyModels.Architecture(height: 28, width: 28)),
            new TrainingOptions()))
        {
            // A checkpoint as training leaves it after epoch 2, without spending time on training.
            var history = new[] { new EpochRecord(2, 4.5, 4.125, 0.001, 1, 100, 0) };
            trainer.Restore(trainer.State with { Epoch = 2, History = history }, trainer.SaveOptimizer());
            CheckpointFile.Save(experiment.CheckpointPath(2), experiment.Config.Text, trainer);
        }

        string[] source = ["--epoch", "2", "--experiment-name", "exp", "--experiments-path", experiments];
        var output = Path.Combine(_folder.Path, "onnx");
        var export = GlowCli.Run(_folder.Path, ["export-onnx", .. source, "--output", output]);
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        var metadata = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(output, "score.onnx")))
            .MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(("exp", "2", "4.125"), (metadata["experiment"], metadata["epoch"], metadata["validation_bpd"]));
        Assert.Equal(experiment.Config.Text, metadata["config"]);

        var report = Path.Combine(_folder.Path, "report");
        var ood = GlowCli.Run(_folder.Path, ["ood", .. source, "--in", "noise", "--out", "constant", "--count", "8",
            "--report", report]);
        Assert.True(ood.ExitCode == 0, ood.Output + ood.Error);
        var methods = OodReport.Read(Path.Combine(report, OodReport.JsonFile)).OutSets.Single().Methods;
        Assert.Equal(["-log-likelihood", "S (png)"], methods.Select(m => m.Method));
        Assert.All(methods, m => Assert.Equal((8, 8), (m.InCount, m.OutCount)));

        var noName = GlowCli.Run(_folder.Path, "export-onnx", "--epoch", "2", "--output", output);
        AssertShortError(noName, 2, "--experiment-name is required");
    }

    [Fact]
    public void BadInputGivesAShortMessageAndAnErrorCode()
    {
        string data = TestPaths.SharedData;
        var report = Path.Combine(_folder.Path, "r");
        var missing = Path.Combine(_folder.Path, "ghost.glow");

        var noFile = GlowCli.Run(_folder.Path, "ood", "--release", missing, "--in", "mnist", "--out", "noise",
            "--report", report, "--data-path", data);
        AssertShortError(noFile, 1, missing);

        var unknown = GlowCli.Run(_folder.Path, "ood", "--release", _release, "--in", "mnist", "--out", "svhn",
            "--count", "4", "--report", report, "--data-path", data);
        AssertShortError(unknown, 1, "Unknown DATASET 'svhn'");
        Assert.False(File.Exists(Path.Combine(report, OodReport.JsonFile)), "a refused run must write no report");

        var both = GlowCli.Run(_folder.Path, "ood", "--release", _release, "--epoch", "1", "--in", "mnist",
            "--out", "noise", "--report", report);
        AssertShortError(both, 2, "exactly one of --epoch N or --release FILE");

        var neither = GlowCli.Run(_folder.Path, "export-onnx", "--output", report);
        AssertShortError(neither, 2, "exactly one of --epoch N or --release FILE");

        var complexity = GlowCli.Run(_folder.Path, "ood", "--release", _release, "--in", "mnist", "--out", "noise",
            "--complexity", "zip", "--report", report);
        AssertShortError(complexity, 2, "--complexity must be png, webp or all, not 'zip'");

        var twice = GlowCli.Run(_folder.Path, "ood", "--release", _release, "--in", "mnist", "--out", "noise",
            "--out", "NOISE", "--report", report);
        AssertShortError(twice, 2, "--out noise is given more than once");
    }

    private static void AssertShortError((int ExitCode, string Output, string Error) run, int exitCode,
        string expected)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}: {run.Output}{run.Error}");
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("glow: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.True(lines.Length <= 2, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }
}
