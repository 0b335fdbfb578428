using Spectre.Console;
using Spectre.Console.Cli;

namespace GlowML.Cli;

/// <summary>Settings whose numeric options declare their range with <see cref="OptionRangeAttribute"/>. The ranges
/// are checked before a command's own rules, so no command can forget them and all report them alike.</summary>
public abstract class CheckedSettings : CommandSettings
{
    /// <inheritdoc />
    public sealed override ValidationResult Validate()
    {
        var ranges = OptionValues.CheckRanges(this);
        return ranges.Successful ? ValidateOptions() : ranges;
    }

    /// <summary>The command's own rules, once every option is within its range.</summary>
    protected virtual ValidationResult ValidateOptions() => ValidationResult.Success();
}
