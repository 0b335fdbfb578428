using System.Text.Json.Serialization;

namespace GlowML.Training;

/// <summary>
/// Every counter a resumed run needs to continue exactly where an uninterrupted run would be.
/// </summary>
public sealed record TrainingState
{
    /// <summary>Epochs completed.</summary>
    [JsonPropertyName("epoch")] public int Epoch { get; init; }

    /// <summary>Optimisation steps taken (skipped steps included), which drives the warmup.</summary>
    [JsonPropertyName("global_step")] public long GlobalStep { get; init; }

    /// <summary>Current learning rate before warmup scaling.</summary>
    [JsonPropertyName("lr")] public double LearningRate { get; init; }

    /// <summary>Best validation bits/dim so far (infinity before the first).</summary>
    [JsonPropertyName("best_validation_bpd")] public double BestValidation { get; init; } = double.PositiveInfinity;

    /// <summary>Epochs since the learning rate was last reduced or validation improved (plateau counter).</summary>
    [JsonPropertyName("plateau_epochs")] public int PlateauEpochs { get; init; }

    /// <summary>Epochs since validation last improved (early-stopping counter).</summary>
    [JsonPropertyName("epochs_without_improvement")] public int EpochsWithoutImprovement { get; init; }

    /// <summary>Whether early stopping has ended training.</summary>
    [JsonPropertyName("stopped_early")] public bool StoppedEarly { get; init; }

    /// <summary>One record per finished epoch.</summary>
    [JsonPropertyName("history")] public IReadOnlyList<EpochRecord> History { get; init; } = Array.Empty<EpochRecord>();
}
