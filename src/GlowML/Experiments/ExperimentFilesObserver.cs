using System.Globalization;
using System.Text.Json;
using GlowML.Model;
using GlowML.Training;
using TorchSharp.Modules;

namespace GlowML.Experiments;

/// <summary>
/// Records training in the experiment folder: every line in <c>verbose.log</c>, step and epoch metrics in
/// <c>metrics.jsonl</c> (whose first line is the config), and TensorBoard scalars in <c>tensorboard/</c>
/// (<c>loss/iteration/train</c>, <c>loss/epoch/train</c>, <c>loss/epoch/validation</c> in bits/dim, <c>lr</c>).
/// </summary>
public sealed class ExperimentFilesObserver : ITrainingObserver
{
    private readonly Experiment _experiment;
    private readonly SummaryWriter? _tensorBoard;
    private readonly object _gate = new();

    /// <summary>Opens the experiment's logs; the metrics file gets the config as its first line if it is new.</summary>
    public ExperimentFilesObserver(Experiment experiment, bool tensorBoard = true)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        _experiment = experiment;
        if (!File.Exists(experiment.MetricsPath) || new FileInfo(experiment.MetricsPath).Length == 0)
        {
            var first = new Dictionary<string, object?>
            {
                ["type"] = "config", ["config"] = System.Text.Json.Nodes.JsonNode.Parse(experiment.Config.Text),
            };
            File.WriteAllText(experiment.MetricsPath, JsonSerializer.Serialize(first, LineOptions) + "\n");
        }

        _tensorBoard = tensorBoard ? TorchSharp.torch.utils.tensorboard.SummaryWriter(experiment.TensorBoardDirectory)
            : null;
    }

    /// <summary>The TensorBoard writer, or null when disabled.</summary>
    public SummaryWriter? TensorBoard => _tensorBoard;

    private static JsonSerializerOptions LineOptions { get; } = new(GlowJson.Options) { WriteIndented = false };

    /// <summary>Appends a timestamped line to verbose.log.</summary>
    public void Log(string line)
    {
        lock (_gate)
        {
            File.AppendAllText(_experiment.LogPath,
                $"{DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {line}\n");
        }
    }

    /// <inheritdoc />
    public void OnStep(StepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Log(TrainingText.Step(report));
        AppendMetric(new Dictionary<string, object?>
        {
            ["type"] = "step", ["epoch"] = report.Epoch, ["step"] = report.Step, ["global_step"] = report.GlobalStep,
            ["train_bpd"] = report.BitsPerDim, ["lr"] = report.LearningRate,
            ["images_per_second"] = report.ImagesPerSecond,
        });
        if (double.IsFinite(report.BitsPerDim))
        {
            _tensorBoard?.add_scalar("loss/iteration/train", (float)report.BitsPerDim, (int)report.GlobalStep);
            _tensorBoard?.add_scalar("lr", (float)report.LearningRate, (int)report.GlobalStep);
        }
    }

    /// <inheritdoc />
    public void OnEpoch(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Log(TrainingText.Epoch(record));
        var line = new Dictionary<string, object?> { ["type"] = "epoch" };
        foreach (var property in JsonSerializer.SerializeToElement(record, GlowJson.Options).EnumerateObject())
        {
            line[property.Name] = property.Value;
        }

        AppendMetric(line);
        _tensorBoard?.add_scalar("loss/epoch/train", (float)record.TrainBitsPerDim, record.Epoch);
        if (double.IsFinite(record.ValidationBitsPerDim))
        {
            _tensorBoard?.add_scalar("loss/epoch/validation", (float)record.ValidationBitsPerDim, record.Epoch);
        }
    }

    /// <inheritdoc />
    public void OnMessage(string message) => Log(message);

    private void AppendMetric(Dictionary<string, object?> values)
    {
        lock (_gate)
        {
            File.AppendAllText(_experiment.MetricsPath, JsonSerializer.Serialize(values, LineOptions) + "\n");
        }
    }
}
