namespace GlowML.Training;

/// <summary>Forwards progress to several observers.</summary>
public sealed class CompositeObserver : ITrainingObserver
{
    private readonly ITrainingObserver[] _observers;

    /// <summary>Forwards to every non-null observer given.</summary>
    public CompositeObserver(params ITrainingObserver?[] observers) =>
        _observers = observers.Where(o => o is not null).Select(o => o!).ToArray();

    /// <inheritdoc />
    public void OnStep(StepReport report)
    {
        foreach (var o in _observers)
        {
            o.OnStep(report);
        }
    }

    /// <inheritdoc />
    public void OnEpoch(EpochRecord record)
    {
        foreach (var o in _observers)
        {
            o.OnEpoch(record);
        }
    }

    /// <inheritdoc />
    public void OnMessage(string message)
    {
        foreach (var o in _observers)
        {
            o.OnMessage(message);
        }
    }
}
