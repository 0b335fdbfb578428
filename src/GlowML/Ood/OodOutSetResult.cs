using System.Text.Json.Serialization;

namespace GlowML.Ood;

/// <summary>The results of every method against one out-of-distribution set.</summary>
/// <param name="OutSet">Name of the out-set.</param>
/// <param name="Methods">One result per method, in the order the scores were given.</param>
public sealed record OodOutSetResult(
    [property: JsonPropertyName("out_set")] string OutSet,
    [property: JsonPropertyName("methods")] IReadOnlyList<OodMethodResult> Methods);
