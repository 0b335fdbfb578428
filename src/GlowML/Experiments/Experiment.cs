using System.Globalization;
using System.Text.RegularExpressions;

namespace GlowML.Experiments;

/// <summary>
/// An experiment folder, as the Skeltorch tutorial lays it out: <c>config.json</c>, <c>verbose.log</c>,
/// <c>metrics.jsonl</c>, <c>checkpoints/</c> (<c>epoch-N.ckpt</c> and releases <c>epoch-N.release.glow</c>),
/// <c>tensorboard/</c> and <c>results/</c>.
/// </summary>
public sealed partial class Experiment
{
    private Experiment(string directory, ExperimentConfig config)
    {
        Directory = directory;
        Config = config;
    }

    /// <summary>The experiment's folder.</summary>
    public string Directory { get; }

    /// <summary>Its name (the folder's name).</summary>
    public string Name => Path.GetFileName(Directory);

    /// <summary>The parsed config.</summary>
    public ExperimentConfig Config { get; }

    /// <summary>config.json.</summary>
    public string ConfigPath => Path.Combine(Directory, "config.json");

    /// <summary>verbose.log: every line the commands print, with timestamps.</summary>
    public string LogPath => Path.Combine(Directory, "verbose.log");

    /// <summary>metrics.jsonl: the config on the first line, then one JSON object per step report and epoch.</summary>
    public string MetricsPath => Path.Combine(Directory, "metrics.jsonl");

    /// <summary>checkpoints/.</summary>
    public string CheckpointsDirectory => Path.Combine(Directory, "checkpoints");

    /// <summary>tensorboard/.</summary>
    public string TensorBoardDirectory => Path.Combine(Directory, "tensorboard");

    /// <summary>results/.</summary>
    public string ResultsDirectory => Path.Combine(Directory, "results");

    /// <summary>Creates a new experiment from a config file, validating it with the schema first; refuses an
    /// existing experiment. <paramref name="seed"/> overrides <c>training.seed</c>.</summary>
    public static Experiment Create(string experimentsPath, string name, string configPath, string? schemaPath = null,
        int? seed = null)
    {
        CheckName(name);
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"Config file '{configPath}' does not exist.", configPath);
        }

        if (schemaPath is not null && !File.Exists(schemaPath))
        {
            throw new FileNotFoundException($"Schema file '{schemaPath}' does not exist.", schemaPath);
        }

        var text = File.ReadAllText(configPath);
        ExperimentConfig.Parse(text, configPath, schemaPath is null ? null : File.ReadAllText(schemaPath), schemaPath);
        if (seed is int s)
        {
            text = WithSeed(text, s);
        }

        var config = ExperimentConfig.Parse(text, configPath);

        var directory = Path.GetFullPath(Path.Combine(experimentsPath, name));
        if (System.IO.Directory.Exists(directory))
        {
            throw new IOException($"Experiment '{name}' already exists in '{directory}'. "
                + "Choose another --experiment-name or delete that folder.");
        }

        var experiment = new Experiment(directory, config);
        System.IO.Directory.CreateDirectory(directory);
        System.IO.Directory.CreateDirectory(experiment.CheckpointsDirectory);
        System.IO.Directory.CreateDirectory(experiment.TensorBoardDirectory);
        System.IO.Directory.CreateDirectory(experiment.ResultsDirectory);
        File.WriteAllText(experiment.ConfigPath, config.Text);
        File.WriteAllText(experiment.LogPath, "");
        return experiment;
    }

    /// <summary>Opens an existing experiment.</summary>
    public static Experiment Open(string experimentsPath, string name)
    {
        CheckName(name);
        var directory = Path.GetFullPath(Path.Combine(experimentsPath, name));
        var configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath))
        {
            throw new DirectoryNotFoundException($"Experiment '{name}' does not exist in "
                + $"'{Path.GetFullPath(experimentsPath)}' (no {configPath}). Create it with 'glow init'.");
        }

        return new Experiment(directory, ExperimentConfig.Parse(File.ReadAllText(configPath), configPath));
    }

    /// <summary>Whether <paramref name="name"/> can name an experiment: one folder name, never a path, "." or "..".
    /// </summary>
    public static bool IsUsableName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
        && name is not ("." or "..");

    /// <summary>The checkpoint file of <paramref name="epoch"/>.</summary>
    public string CheckpointPath(int epoch) =>
        Path.Combine(CheckpointsDirectory, $"epoch-{epoch.ToString(CultureInfo.InvariantCulture)}.ckpt");

    /// <summary>The release file of <paramref name="epoch"/>.</summary>
    public string ReleasePath(int epoch) =>
        Path.Combine(CheckpointsDirectory, $"epoch-{epoch.ToString(CultureInfo.InvariantCulture)}.release.glow");

    /// <summary>Epochs that have a checkpoint, ascending.</summary>
    public IReadOnlyList<int> CheckpointEpochs() => EpochsMatching(CheckpointPattern());

    /// <summary>Epochs that have a release, ascending.</summary>
    public IReadOnlyList<int> ReleaseEpochs() => EpochsMatching(ReleasePattern());

    /// <summary>The newest checkpoint's epoch, or null before the first.</summary>
    public int? LatestEpoch => CheckpointEpochs().Count > 0 ? CheckpointEpochs()[^1] : null;

    /// <summary>The checkpoint of <paramref name="epoch"/>, or a message listing the ones that exist.</summary>
    public string RequireCheckpoint(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        var path = CheckpointPath(epoch);
        if (!File.Exists(path))
        {
            var epochs = CheckpointEpochs();
            throw new FileNotFoundException($"Experiment '{Name}' has no checkpoint for epoch {epoch} ({path}). "
                + (epochs.Count == 0 ? "It has none yet: run 'glow train'." : $"It has epochs {string.Join(", ", epochs)}."),
                path);
        }

        return path;
    }

    /// <summary>The checkpoints, releases and results of epochs after <paramref name="epoch"/>: what training on
    /// from <paramref name="epoch"/> would make stale (a release or result would pass for the new epoch's).</summary>
    public IReadOnlyList<string> FilesAfter(int epoch)
    {
        var results = System.IO.Directory.Exists(ResultsDirectory)
            ? System.IO.Directory.GetFiles(ResultsDirectory, "epoch-*-*")
                .Where(f => EpochOfResult(Path.GetFileName(f)) > epoch).Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return CheckpointEpochs().Where(e => e > epoch).Select(CheckpointPath)
            .Concat(ReleaseEpochs().Where(e => e > epoch).Select(ReleasePath))
            .Concat(results)
            .ToArray();
    }

    /// <summary>Deletes <see cref="FilesAfter"/>; returns the deleted paths.</summary>
    public IReadOnlyList<string> DeleteFilesAfter(int epoch)
    {
        var deleted = FilesAfter(epoch);
        foreach (var path in deleted)
        {
            File.Delete(path);
        }

        return deleted;
    }

    // "epoch-12-samples.png" -> 12; null for names of another form.
    private static int? EpochOfResult(string name)
    {
        var parts = name.Split('-');
        return parts.Length >= 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int e)
            ? e : null;
    }

    /// <summary>Removes the metrics.jsonl rows of epochs after <paramref name="epoch"/> (step and epoch rows; the
    /// config row has no epoch), so that epochs trained again appear once. Returns the number removed.</summary>
    public int DropMetricsAfter(int epoch)
    {
        if (!File.Exists(MetricsPath))
        {
            return 0;
        }

        var lines = File.ReadAllLines(MetricsPath);
        var kept = lines.Where(l => !(EpochOfRow(l) > epoch)).ToArray();
        if (kept.Length < lines.Length)
        {
            GlowML.Model.AtomicFile.Write(MetricsPath, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                foreach (var line in kept)
                {
                    writer.Write(line);
                    writer.Write('\n');
                }
            });
        }

        return lines.Length - kept.Length;
    }

    // A row's "epoch", or null for the config row and for lines that are not JSON objects (kept as they are).
    private static int? EpochOfRow(string line)
    {
        try
        {
            using var row = System.Text.Json.JsonDocument.Parse(line);
            return row.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && row.RootElement.TryGetProperty("epoch", out var epoch)
                && epoch.TryGetInt32(out int value) ? value : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // The user's config is kept as written; only training.seed is set.
    private static string WithSeed(string json, int seed)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        if (root["training"] is not System.Text.Json.Nodes.JsonObject training)
        {
            training = new System.Text.Json.Nodes.JsonObject();
            root["training"] = training;
        }

        training["seed"] = seed;
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private IReadOnlyList<int> EpochsMatching(Regex pattern)
    {
        if (!System.IO.Directory.Exists(CheckpointsDirectory))
        {
            return Array.Empty<int>();
        }

        return System.IO.Directory.EnumerateFiles(CheckpointsDirectory)
            .Select(f => pattern.Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Order()
            .ToArray();
    }

    private static void CheckName(string name)
    {
        if (!IsUsableName(name))
        {
            throw new ArgumentException($"'{name}' is not a usable experiment name: use letters, digits, '-' or '_'.");
        }
    }

    [GeneratedRegex(@"^epoch-(\d+)\.ckpt$")]
    private static partial Regex CheckpointPattern();

    [GeneratedRegex(@"^epoch-(\d+)\.release\.glow$")]
    private static partial Regex ReleasePattern();
}
