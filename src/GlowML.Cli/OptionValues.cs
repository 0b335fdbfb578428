using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GlowML.Cli;

/// <summary>
/// Range checks for numeric options, and the message for a value Spectre.Console.Cli could not convert: its own
/// says "Failed to convert '...' to Nullable`1", naming neither the option nor what it accepts.
/// </summary>
internal static class OptionValues
{
    /// <summary>The first numeric option of <paramref name="settings"/> outside its
    /// <see cref="OptionRangeAttribute"/>, as a validation error naming the option and its range.</summary>
    public static ValidationResult CheckRanges(CommandSettings settings)
    {
        foreach (var property in settings.GetType().GetProperties())
        {
            if (property.GetCustomAttribute<OptionRangeAttribute>() is null
                || property.GetValue(settings) is not { } value)
            {
                continue;
            }

            long number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            var (minimum, maximum) = Bounds(property);
            if (number < minimum || number > maximum)
            {
                return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture,
                    $"{NameOf(property)} must be {Accepted(property)}, not {number}."));
            }
        }

        return ValidationResult.Success();
    }

    /// <summary>For a command line whose value Spectre.Console.Cli could not convert: "--count must be a whole number
    /// from 1 to 2147483647, not '99999999999'." for the first numeric option of <paramref name="settingsType"/>
    /// whose value does not convert; null when none fails (the error lies elsewhere).</summary>
    public static string? ExplainUnconvertible(IReadOnlyList<string> args, Type settingsType)
    {
        var options = settingsType.GetProperties()
            .Select(p => (Property: p, Option: p.GetCustomAttribute<CommandOptionAttribute>()))
            .Where(o => o.Option is not null && IsNumeric(o.Property.PropertyType))
            .ToList();
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (!token.StartsWith('-'))
            {
                continue;
            }

            // Spectre.Console.Cli takes "--count 5", "--count=5" and "--count:5".
            int split = token.IndexOfAny(['=', ':']);
            string name = (split < 0 ? token : token[..split]).TrimStart('-');
            var match = options.FirstOrDefault(o =>
                o.Option!.LongNames.Contains(name) || o.Option.ShortNames.Contains(name));
            string? value = split >= 0 ? token[(split + 1)..] : i + 1 < args.Count ? args[i + 1] : null;
            if (match.Property is null || value is null || Converts(match.Property.PropertyType, value))
            {
                continue;
            }

            return $"{NameOf(match.Property)} must be {Accepted(match.Property)}, not '{value}'.";
        }

        return null;
    }

    private static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static bool IsNumeric(Type type) =>
        Underlying(type) is var t
        && (t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(float));

    private static bool IsWhole(Type type) => Underlying(type) is var t && (t == typeof(int) || t == typeof(long));

    // The converter Spectre.Console.Cli itself uses, so that what fails here is what failed there.
    private static bool Converts(Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(Underlying(type)).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException
            or NotSupportedException)
        {
            return false;
        }
    }

    private static (long Minimum, long Maximum) Bounds(PropertyInfo property)
    {
        var range = property.GetCustomAttribute<OptionRangeAttribute>();
        bool isInt = Underlying(property.PropertyType) == typeof(int);
        long typeMinimum = isInt ? int.MinValue : long.MinValue;
        long typeMaximum = isInt ? int.MaxValue : long.MaxValue;
        return (Math.Max(range?.Minimum ?? typeMinimum, typeMinimum),
            Math.Min(range?.Maximum ?? typeMaximum, typeMaximum));
    }

    private static string Accepted(PropertyInfo property)
    {
        if (!IsWhole(property.PropertyType))
        {
            return "a number";
        }

        var (minimum, maximum) = Bounds(property);
        return string.Create(CultureInfo.InvariantCulture, $"a whole number from {minimum} to {maximum}");
    }

    private static string NameOf(PropertyInfo property)
    {
        var option = property.GetCustomAttribute<CommandOptionAttribute>();
        return option is null ? property.Name
            : option.LongNames.Count > 0 ? "--" + option.LongNames[0] : "-" + option.ShortNames[0];
    }
}
