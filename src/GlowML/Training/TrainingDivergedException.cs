namespace GlowML.Training;

/// <summary>Thrown when too many consecutive steps had a non-finite loss or gradient.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message) : base(message)
    {
    }
}
