using GlowML.Model;

namespace GlowML.Training;

/// <summary>A loaded training checkpoint.</summary>
/// <param name="Path">The file it came from.</param>
/// <param name="ConfigJson">The experiment config it was trained with.</param>
/// <param name="Model">The model with its weights, in evaluation mode.</param>
/// <param name="State">Counters and per-epoch history.</param>
/// <param name="OptimizerState">Optimiser moments, for <see cref="GlowTrainer.Restore"/>.</param>
public sealed record Checkpoint(string Path, string ConfigJson, GlowModel Model, TrainingState State,
    byte[] OptimizerState);
