using System.Text.Json.Serialization;

namespace GlowML.Training;

/// <summary>
/// How a Glow model is trained (the experiment config's "training" group). Defaults are the Skeltorch tutorial's:
/// batch 32, Adam at 1e-4, learning rate reduced on a validation plateau of 2 epochs, early stop after 5.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Images per optimisation step (&gt;= 1).</summary>
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate (&gt; 0).</summary>
    [JsonPropertyName("lr")] public double LearningRate { get; init; } = 1e-4;

    /// <summary>Optimiser: adam or adamax.</summary>
    [JsonPropertyName("optimizer")] public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Steps of linear learning-rate warmup from 0 to <see cref="LearningRate"/> (0 = none).</summary>
    [JsonPropertyName("warmup_steps")] public int WarmupSteps { get; init; }

    /// <summary>Epochs without validation improvement before the learning rate is multiplied by
    /// <see cref="SchedulerFactor"/>.</summary>
    [JsonPropertyName("scheduler_patience")] public int SchedulerPatience { get; init; } = 2;

    /// <summary>Factor applied to the learning rate on a plateau (0 &lt; f &lt; 1).</summary>
    [JsonPropertyName("scheduler_factor")] public double SchedulerFactor { get; init; } = 0.5;

    /// <summary>Epochs without validation improvement before training stops (0 = never stop early).</summary>
    [JsonPropertyName("early_stopping_patience")] public int EarlyStoppingPatience { get; init; } = 5;

    /// <summary>Epochs to train in total (a resumed run counts the epochs already done).</summary>
    [JsonPropertyName("max_epochs")] public int MaxEpochs { get; init; } = 100;

    /// <summary>Gradients are rescaled to at most this global L2 norm (0 = no clipping).</summary>
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 50.0;

    /// <summary>Decay of the exponential moving average of the weights (Polyak averaging, as the Glow paper's code
    /// does) that validation, checkpoints and releases use; 0 turns it off. Early updates use
    /// min(decay, (1 + n) / (10 + n)) so that the average follows the first steps closely.</summary>
    [JsonPropertyName("ema_decay")] public double EmaDecay { get; init; } = 0.999;

    /// <summary>Consecutive non-finite steps tolerated (each is skipped) before training stops.</summary>
    [JsonPropertyName("max_bad_steps")] public int MaxBadSteps { get; init; } = 10;

    /// <summary>A progress line every this many steps.</summary>
    [JsonPropertyName("log_period")] public int LogPeriod { get; init; } = 50;

    /// <summary>Background threads preparing batches (0 = prepare on the training thread).</summary>
    [JsonPropertyName("num_workers")] public int NumWorkers { get; init; }

    /// <summary>Drop a last, smaller batch of each training epoch.</summary>
    [JsonPropertyName("drop_last")] public bool DropLast { get; init; } = true;

    /// <summary>Seed for weights, data order and dequantisation noise.</summary>
    [JsonPropertyName("seed")] public int Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        Check(BatchSize >= 1, "training.batch_size", BatchSize, "at least 1");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), "training.lr", LearningRate, "positive");
        Check(Enum.IsDefined(Optimizer), "training.optimizer", Optimizer, "adam or adamax");
        Check(WarmupSteps >= 0, "training.warmup_steps", WarmupSteps, "0 or more");
        Check(SchedulerPatience >= 0, "training.scheduler_patience", SchedulerPatience, "0 or more");
        Check(SchedulerFactor is > 0 and < 1, "training.scheduler_factor", SchedulerFactor, "between 0 and 1");
        Check(EarlyStoppingPatience >= 0, "training.early_stopping_patience", EarlyStoppingPatience, "0 or more");
        Check(MaxEpochs >= 1, "training.max_epochs", MaxEpochs, "at least 1");
        Check(MaxGradNorm >= 0, "training.max_grad_norm", MaxGradNorm, "0 or more");
        Check(EmaDecay is >= 0 and < 1, "training.ema_decay", EmaDecay, "0 (off) or more, below 1");
        Check(MaxBadSteps >= 1, "training.max_bad_steps", MaxBadSteps, "at least 1");
        Check(LogPeriod >= 1, "training.log_period", LogPeriod, "at least 1");
        Check(NumWorkers is >= 0 and <= 64, "training.num_workers", NumWorkers, "between 0 and 64");
    }

    private static void Check(bool ok, string field, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"{field} must be {expected}, got {value}.");
        }
    }
}
