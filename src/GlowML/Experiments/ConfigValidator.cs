using System.Text.Json;
using Json.Schema;

namespace GlowML.Experiments;

/// <summary>Validates configs against <c>config.schema.json</c> (embedded; or a schema given by the user).</summary>
public static class ConfigValidator
{
    private static readonly Lazy<string> EmbeddedSchema = new(() => ReadResource("GlowML.config.schema.json"));

    // JsonSchema.Net registers a schema's $id globally and refuses to register it twice: parse each text once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Schemas = new();

    /// <summary>The schema shipped with this GlowML build.</summary>
    public static string DefaultSchemaText => EmbeddedSchema.Value;

    /// <summary>The tutorial's default config (CIFAR-10, 3 levels of 32 steps, 512 filters).</summary>
    public static string DefaultConfigText => ReadResource("GlowML.config.default.json");

    /// <summary>Every violation of <paramref name="json"/> as "JSON path: message"; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string json, string? schemaText = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            return new[] { $"$: not valid JSON ({e.Message})" };
        }

        using (document)
        {
            var schema = Schemas.GetOrAdd(schemaText ?? DefaultSchemaText, text => JsonSchema.FromText(text));
            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (result.IsValid)
            {
                return Array.Empty<string>();
            }

            var violations = new List<string>();
            foreach (var detail in (IEnumerable<EvaluationResults>?)result.Details ?? Array.Empty<EvaluationResults>())
            {
                if (detail.IsValid || detail.Errors is null)
                {
                    continue;
                }

                string path = "$" + detail.InstanceLocation.ToString().Replace('/', '.');
                foreach (var error in detail.Errors)
                {
                    // additionalProperties: false reports itself as a "false schema"; say what it means.
                    violations.Add(error.Key.Length == 0 || error.Value.Contains("false schema", StringComparison.Ordinal)
                        ? $"{path}: unknown setting (not in the schema; check its spelling)"
                        : $"{path}: {error.Value} ({error.Key})");
                }
            }

            return violations.Count > 0 ? violations.Distinct().ToArray() : new[] { "$: does not match the schema." };
        }
    }

    /// <summary>Throws a <see cref="ConfigException"/> listing every violation, if any.</summary>
    public static void ThrowIfInvalid(string json, string source, string? schemaText = null)
    {
        var violations = Validate(json, schemaText);
        if (violations.Count > 0)
        {
            throw new ConfigException(source, violations);
        }
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(ConfigValidator).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} is missing from the GlowML assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
