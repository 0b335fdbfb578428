namespace GlowML.Cli;

/// <summary>A command line that is missing or misusing an option; reported with exit code 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message) : base(message)
    {
    }
}
