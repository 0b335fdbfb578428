namespace GlowML.Experiments;

/// <summary>Command-line overrides for one <c>glow train</c> run; null keeps the config's value.</summary>
public sealed record TrainRequest
{
    /// <summary>Resume from this epoch's checkpoint (1 or more) instead of the latest.</summary>
    public int? Epoch { get; init; }

    /// <summary>When resuming from an epoch that later checkpoints follow: delete them and their metrics.jsonl
    /// rows before training. Without it such a run is refused, since it would overwrite them.</summary>
    public bool OverwriteLater { get; init; }

    /// <summary>Train until this many epochs are done in total.</summary>
    public int? MaxEpochs { get; init; }

    /// <summary>Progress line period in steps.</summary>
    public int? LogPeriod { get; init; }

    /// <summary>Background batch workers.</summary>
    public int? NumWorkers { get; init; }

    /// <summary>"cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Write TensorBoard events.</summary>
    public bool TensorBoard { get; init; } = true;
}
