namespace GlowML.Training;

/// <summary>Receives training progress: the CLI renders it, the ML.NET estimator forwards it to MLContext.Log.</summary>
public interface ITrainingObserver
{
    /// <summary>Called every <see cref="TrainingOptions.LogPeriod"/> steps and at the end of each epoch's steps.</summary>
    void OnStep(StepReport report);

    /// <summary>Called after each epoch with its measurements.</summary>
    void OnEpoch(EpochRecord record);

    /// <summary>Free-form messages: skipped steps, learning-rate changes, early stopping, checkpoints.</summary>
    void OnMessage(string message);
}
