using GlowML.Training;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace GlowML.MLNet;

/// <summary>Forwards training progress to <see cref="MLContext.Log"/> through an ML.NET channel.</summary>
internal sealed class MLContextObserver : ITrainingObserver
{
    private readonly IChannel _channel;

    public MLContextObserver(IHostEnvironment environment) =>
        _channel = environment.Register("Glow").Start("Glow training");

    public void OnStep(StepReport report) => Send(TrainingText.Step(report));

    public void OnEpoch(EpochRecord record) => Send(TrainingText.Epoch(record));

    public void OnMessage(string message) => Send(message);

    private void Send(string message) =>
        _channel.Info(MessageSensitivity.None, message);
}
