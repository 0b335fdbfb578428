using System.Text.Json.Serialization;

namespace GlowML.Training;

/// <summary>What one finished epoch measured.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainBitsPerDim">Mean training bits/dim over the epoch (with dequantisation noise).</param>
/// <param name="ValidationBitsPerDim">Validation bits/dim at bin centres, or NaN without validation data.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch's training steps.</param>
/// <param name="ImagesPerSecond">Training throughput.</param>
/// <param name="SkippedSteps">Steps skipped because the loss or gradients were not finite.</param>
public sealed record EpochRecord(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("train_bpd")] double TrainBitsPerDim,
    [property: JsonPropertyName("validation_bpd")] double ValidationBitsPerDim,
    [property: JsonPropertyName("lr")] double LearningRate,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("skipped_steps")] int SkippedSteps);
