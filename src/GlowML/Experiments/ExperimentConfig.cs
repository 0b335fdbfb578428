using System.Text.Json;
using System.Text.Json.Serialization;
using GlowML.Data;
using GlowML.Model;
using GlowML.Training;

namespace GlowML.Experiments;

/// <summary>
/// An experiment's configuration, as <c>config.json</c> holds it: the data, the model (the image shape comes from
/// the data), training and testing groups. Parse it with <see cref="Parse"/>, which validates it against the JSON
/// schema first.
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>Where the images come from.</summary>
    [JsonPropertyName("data")] public DataOptions Data { get; init; } = new();

    /// <summary>The flow; channels, height and width are taken from the data.</summary>
    [JsonPropertyName("model")] public GlowArchitecture Model { get; init; } = new();

    /// <summary>How to train.</summary>
    [JsonPropertyName("training")] public TrainingOptions Training { get; init; } = new();

    /// <summary>How to test and sample.</summary>
    [JsonPropertyName("testing")] public TestingOptions Testing { get; init; } = new();

    /// <summary>Validates <paramref name="json"/> with the schema (every violation, with its JSON path) and
    /// deserialises it. <paramref name="source"/> names the file in messages, <paramref name="schemaSource"/> the
    /// schema's.</summary>
    public static ExperimentConfig Parse(string json, string source, string? schemaText = null,
        string? schemaSource = null)
    {
        ConfigValidator.ThrowIfInvalid(json, source, schemaText, schemaSource);
        try
        {
            var config = (JsonSerializer.Deserialize<ExperimentConfig>(json, GlowJson.Options)
                ?? throw new ConfigException(source, new[] { "$: the config is null." })) with { Text = json };
            config.Training.Validate();
            config.Data.Validate();
            return config;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new ConfigException(source, new[] { e.Message });
        }
    }

    /// <summary>The JSON text this config was parsed from, kept as the user wrote it (defaults stay implicit).</summary>
    [JsonIgnore] public string Text { get; init; } = "{}";

    /// <summary>The architecture for images of the given shape.</summary>
    public GlowArchitecture ArchitectureFor(int channels, int height, int width) =>
        Model with { Channels = channels, Height = height, Width = width };
}
