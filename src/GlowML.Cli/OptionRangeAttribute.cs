namespace GlowML.Cli;

/// <summary>The whole numbers a numeric option accepts; the option's type bounds whatever is left open. Checked
/// before each command's own rules, and named when a value cannot even be converted.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionRangeAttribute : Attribute
{
    /// <summary>At least <paramref name="minimum"/>, at most what the option's type holds.</summary>
    public OptionRangeAttribute(long minimum)
        : this(minimum, long.MaxValue)
    {
    }

    /// <summary>From <paramref name="minimum"/> to <paramref name="maximum"/>, both included.</summary>
    public OptionRangeAttribute(long minimum, long maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>The smallest value accepted.</summary>
    public long Minimum { get; }

    /// <summary>The largest value accepted (further capped by the option's type).</summary>
    public long Maximum { get; }
}
