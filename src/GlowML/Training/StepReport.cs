namespace GlowML.Training;

/// <summary>Progress within an epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="StepsPerEpoch">Steps in this epoch.</param>
/// <param name="GlobalStep">Steps since training began.</param>
/// <param name="BitsPerDim">Mean training bits/dim over the steps since the last report.</param>
/// <param name="LearningRate">Learning rate used by the last step.</param>
/// <param name="StepsPerSecond">Throughput since the epoch began.</param>
/// <param name="ImagesPerSecond">Throughput in images.</param>
public sealed record StepReport(int Epoch, int Step, int StepsPerEpoch, long GlobalStep, double BitsPerDim,
    double LearningRate, double StepsPerSecond, double ImagesPerSecond)
{
    /// <summary>Estimated seconds left in the epoch.</summary>
    public double EtaSeconds => StepsPerSecond > 0 ? (StepsPerEpoch - Step) / StepsPerSecond : double.NaN;
}
