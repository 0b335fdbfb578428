using System.Text.Json;
using System.Text.Json.Serialization;

namespace GlowML.Model;

/// <summary>The JSON settings GlowML uses for configs, architectures and metadata: snake_case keys written by
/// attributes, enums as kebab-case strings (<c>conv-plain</c>, <c>affine</c>).</summary>
public static class GlowJson
{
    /// <summary>Shared serializer options (indented, enums as strings).</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        // Validation bits/dim is NaN without validation data, and the best score starts at infinity.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>An enum value as configs spell it (<c>fashion-mnist</c>, not <c>FashionMnist</c>), for messages.
    /// </summary>
    public static string Name<T>(T value)
        where T : struct, Enum => JsonSerializer.Serialize(value, Options).Trim('"');
}
