using System.Text.Json.Serialization;

namespace GlowML.Experiments;

/// <summary>How <c>glow test</c> scores and samples (the experiment config's "testing" group).</summary>
public sealed record TestingOptions
{
    /// <summary>Images per scoring batch.</summary>
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 64;

    /// <summary>Images in the sample grid.</summary>
    [JsonPropertyName("sample_count")] public int SampleCount { get; init; } = 64;

    /// <summary>Sampling temperature (0 = the prior means; 0.7 is the Glow paper's usual choice).</summary>
    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 0.7;
}
