namespace GlowML.Experiments;

/// <summary>A config that failed validation; <see cref="Exception.Message"/> lists every violation.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> with one line per violation.</summary>
    public ConfigException(string source, IReadOnlyList<string> violations)
        : base($"{source} is not a valid GlowML config:" + Environment.NewLine
            + string.Join(Environment.NewLine, violations.Select(v => "  " + v)))
    {
        Source = source;
        Violations = violations;
    }

    /// <summary>The config file (or other source) that failed.</summary>
    public new string Source { get; }

    /// <summary>One line per violation, each starting with its JSON path.</summary>
    public IReadOnlyList<string> Violations { get; }
}
