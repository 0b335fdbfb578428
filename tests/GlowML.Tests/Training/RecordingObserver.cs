using GlowML.Training;

namespace GlowML.Tests.Training;

/// <summary>Keeps every report a trainer sends, for assertions.</summary>
internal sealed class RecordingObserver : ITrainingObserver
{
    public List<StepReport> Steps { get; } = new();

    public List<EpochRecord> Epochs { get; } = new();

    public List<string> Messages { get; } = new();

    public void OnStep(StepReport report) => Steps.Add(report);

    public void OnEpoch(EpochRecord record) => Epochs.Add(record);

    public void OnMessage(string message) => Messages.Add(message);
}
