using System.Globalization;
using System.Text.Json;
using GlowML.Data;
using GlowML.Imaging;
using GlowML.Model;
using GlowML.Training;
using static TorchSharp.torch;

namespace GlowML.Experiments;

/// <summary>
/// The experiment workflow behind the <c>glow</c> commands: train (resuming from a checkpoint), test, release and
/// sample. The CLI only parses arguments and renders progress; everything it does lives here.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>Trains the experiment, resuming from <see cref="TrainRequest.Epoch"/> or the latest checkpoint,
    /// writing a checkpoint and a TensorBoard sample grid after every epoch.</summary>
    public static TrainingState Train(Experiment experiment, string dataPath, TrainRequest request,
        ITrainingObserver? observer = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Epoch is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Epoch,
                "TrainRequest.Epoch is the checkpoint epoch to resume from: 1 or more.");
        }

        var device = DeviceParser.Parse(request.Device);
        var config = experiment.Config;
        var options = config.Training with
        {
            MaxEpochs = request.MaxEpochs ?? config.Training.MaxEpochs,
            LogPeriod = request.LogPeriod ?? config.Training.LogPeriod,
            NumWorkers = request.NumWorkers ?? config.Training.NumWorkers,
        };
        int? resumeFrom = request.Epoch ?? experiment.LatestEpoch;
        var later = experiment.FilesAfter(resumeFrom ?? 0);
        if (later.Count > 0 && !request.OverwriteLater)
        {
            throw new InvalidOperationException($"Experiment '{experiment.Name}' has checkpoints, releases or "
                + $"results after epoch {resumeFrom}: {string.Join(", ", later.Select(Path.GetFileName))}. Training "
                + $"on from epoch {resumeFrom} would overwrite them. Pass --overwrite-later to delete them (and their "
                + "metrics.jsonl rows) first, or leave out --epoch to resume from the latest.");
        }

        var files = new ExperimentFilesObserver(experiment, request.TensorBoard);
        var progress = new CompositeObserver(observer, files);
        using var data = DatasetLoader.Load(config.Data, dataPath, progress.OnMessage);
        progress.OnMessage($"data: {data.Train.Count} training and {data.Validation.Count} validation images "
            + $"[{data.Train.Channels}, {data.Train.Height}, {data.Train.Width}] from {data.Train.Source}");

        GlowTrainer trainer;
        if (resumeFrom is int epoch)
        {
            var checkpoint = CheckpointFile.Load(experiment.RequireCheckpoint(epoch));
            CheckShape(checkpoint.Model.Architecture, data.Train, checkpoint.Path);
            CheckArchitecture(experiment, checkpoint);
            trainer = new GlowTrainer(checkpoint.Model, options, device, progress);
            try
            {
                trainer.Restore(checkpoint.State, checkpoint.OptimizerState);
            }
            catch (InvalidDataException e)
            {
                trainer.Dispose();
                throw new InvalidDataException($"Cannot resume from '{checkpoint.Path}': {e.Message}", e);
            }
            progress.OnMessage($"resuming from epoch {epoch} ({checkpoint.Path})");
        }
        else
        {
            var architecture = config.ArchitectureFor(data.Train.Channels, data.Train.Height, data.Train.Width);
            trainer = new GlowTrainer(new GlowModel(architecture, options.Seed), options, device, progress);
            progress.OnMessage($"new model: {Describe(architecture)}, "
                + $"{trainer.Model.parameters().Sum(p => p.numel()):N0} parameters");
        }

        using (trainer)
        {
            if (trainer.IsFinished)
            {
                progress.OnMessage(trainer.State.StoppedEarly
                    ? $"training stopped early at epoch {trainer.State.Epoch}; nothing to do."
                    : $"{trainer.State.Epoch} of {options.MaxEpochs} epochs done; raise --max-epochs to train on.");
                return trainer.State;
            }

            // Only now that training will run: a run with nothing left to train deletes nothing.
            ClearLaterEpochs(experiment, resumeFrom ?? 0, progress.OnMessage);
            var state = trainer.Fit(data.Train, data.Validation, config.Data.HorizontalFlip, s =>
            {
                var path = experiment.CheckpointPath(s.Epoch);
                CheckpointFile.Save(path, config.Text, trainer);
                progress.OnMessage($"checkpoint written: {path}");
                trainer.WithAveragedWeights(() =>
                    WriteTensorBoardSamples(files, trainer.Model, config.Testing, s.Epoch));
            }, cancellation);
            return state;
        }
    }

    /// <summary>Scores the test split (the validation split where no test split exists) with the checkpoint of
    /// <paramref name="epoch"/> and writes a sample grid and a JSON report into results/.</summary>
    public static TestResult Test(Experiment experiment, string dataPath, int epoch, int? count = null,
        double? temperature = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var checkpoint = CheckpointFile.Load(experiment.RequireCheckpoint(epoch));
        var testing = experiment.Config.Testing;
        using var data = DatasetLoader.Load(experiment.Config.Data, dataPath, log);
        CheckShape(checkpoint.Model.Architecture, data.Validation, checkpoint.Path);
        log?.Invoke($"scoring {data.Validation.Count} test images with epoch {epoch}");
        double bpd = Evaluation.MeanBitsPerDim(checkpoint.Model, data.Validation, testing.BatchSize);
        var samples = Path.Combine(experiment.ResultsDirectory, $"epoch-{epoch}-samples.png");
        double t = temperature ?? testing.Temperature;
        SampleToPng(checkpoint.Model, count ?? testing.SampleCount, t, seed: 0, samples);
        var report = Path.Combine(experiment.ResultsDirectory, $"epoch-{epoch}-test.json");
        var result = new TestResult(epoch, bpd, data.Validation.Count, samples, report);
        File.WriteAllText(report, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["epoch"] = epoch, ["test_bpd"] = bpd, ["images"] = data.Validation.Count, ["temperature"] = t,
            ["samples"] = samples, ["checkpoint"] = checkpoint.Path,
        }, GlowJson.Options));
        return result;
    }

    /// <summary>Writes a release of <paramref name="epoch"/>: architecture, weights, image shape, pixel depth and
    /// the epoch's bits/dim, without optimiser state. Returns its path.</summary>
    public static string CreateRelease(Experiment experiment, int epoch)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var checkpoint = CheckpointFile.Load(experiment.RequireCheckpoint(epoch));
        var record = checkpoint.State.History.LastOrDefault(r => r.Epoch == epoch);
        var metadata = new Dictionary<string, string>
        {
            ["experiment"] = experiment.Name,
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["train_bpd"] = Format(record?.TrainBitsPerDim),
            ["validation_bpd"] = Format(record?.ValidationBitsPerDim),
            ["glowml_version"] = GlowVersion.Current,
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["config"] = checkpoint.ConfigJson,
        };
        var path = experiment.ReleasePath(epoch);
        GlowModelFile.Save(checkpoint.Model, path, metadata, kind: "release");
        return path;
    }

    /// <summary>Draws <paramref name="count"/> images at <paramref name="temperature"/> and saves them as a PNG grid.</summary>
    public static void SampleToPng(GlowModel model, int count, double temperature, long seed, string output)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        using var generator = new Generator((ulong)seed, model.TopMean.device);
        ImageGrid.SavePng(model.Sample(count, temperature, generator).clamp(0, 1), output);
    }

    /// <summary>A one-line description of an architecture.</summary>
    public static string Describe(GlowArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return $"{a.Channels}x{a.Height}x{a.Width}, {a.NumBlocks} levels x {a.NumFlows} steps, squeeze "
            + $"{a.SqueezingFactor}, {JsonText(a.Permutation)}, {JsonText(a.Coupling)}, {a.NumFilters} filters, "
            + $"kernel {a.KernelSize}, pixel depth {a.PixelDepth}";
    }

    private static string JsonText<T>(T value) => JsonSerializer.Serialize(value, GlowJson.Options).Trim('"');

    private static string Format(double? value) =>
        value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "NaN";

    /// <summary>Before training on from <paramref name="epoch"/> (0 for a new model): deletes later checkpoints,
    /// releases and results (Train has refused already unless they are to be overwritten) and drops metrics.jsonl
    /// rows of later epochs, also those of an interrupted epoch, so that each epoch appears once.</summary>
    private static void ClearLaterEpochs(Experiment experiment, int epoch, Action<string> log)
    {
        var later = experiment.DeleteFilesAfter(epoch);
        if (later.Count > 0)
        {
            // LIMITATION: TensorBoard event files are append-only, so the old scalars of the redone epochs stay
            // beside the new ones until tensorboard/ is cleared by hand.
            log($"deleted the checkpoints, releases and results after epoch {epoch}, as --overwrite-later asked: "
                + string.Join(", ", later));
        }

        int dropped = experiment.DropMetricsAfter(epoch);
        if (dropped > 0)
        {
            log($"dropped {dropped} rows of epochs after {epoch} from {experiment.MetricsPath}; "
                + "those epochs are trained again now");
        }
    }

    /// <summary>Refuses to resume when config.json's model was edited after the checkpoint was written: training
    /// goes on with the checkpoint's model, so the edit would be ignored without a word.</summary>
    private static void CheckArchitecture(Experiment experiment, Checkpoint checkpoint)
    {
        var saved = checkpoint.Model.Architecture;

        // The image shape comes from the data, which CheckShape compares; here only the config's model settings.
        var configured = experiment.Config.ArchitectureFor(saved.Channels, saved.Height, saved.Width);
        var differences = configured.DifferencesFrom(saved);
        if (differences.Count > 0)
        {
            throw new InvalidOperationException($"{experiment.ConfigPath} describes another model than the "
                + $"checkpoint '{checkpoint.Path}' it would resume: "
                + string.Join("; ", differences.Select(d =>
                    $"model.{d.Key}: {d.Value} in the config, {d.OtherValue} in the checkpoint"))
                + ". Put the checkpoint's values back into config.json to resume, or start a new experiment "
                + "(glow init) for the new model.");
        }
    }

    private static void CheckShape(GlowArchitecture architecture, ImageSet images, string checkpoint)
    {
        if (images.Count > 0 && (images.Channels != architecture.Channels || images.Height != architecture.Height
            || images.Width != architecture.Width))
        {
            throw new InvalidDataException($"The data [{images.Channels}, {images.Height}, {images.Width}] does not "
                + $"match the model in '{checkpoint}' [{architecture.Channels}, {architecture.Height}, "
                + $"{architecture.Width}].");
        }
    }

    private static void WriteTensorBoardSamples(ExperimentFilesObserver files, GlowModel model,
        TestingOptions testing, int epoch)
    {
        if (files.TensorBoard is null)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = model.training;
        model.eval();
        using var generator = new Generator(0, model.TopMean.device);
        var samples = model.Sample(Math.Min(testing.SampleCount, 64), testing.Temperature, generator)
            .clamp(0, 1).cpu();
        model.train(wasTraining);

        // TensorBoard's grid maker wants 3 channels.
        if (samples.shape[1] == 1)
        {
            samples = samples.repeat(1, 3, 1, 1);
        }

        files.TensorBoard.add_img("samples", samples, epoch, dataformats: "NCHW");
    }
}
