namespace GlowML.Native;

/// <summary>Thrown when libtorch cannot be loaded; the message says what is missing and how to fix it.</summary>
public sealed class GlowNativeLibraryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GlowNativeLibraryException(string message, Exception inner) : base(message, inner)
    {
    }
}
