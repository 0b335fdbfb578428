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

    /// <summary>Every violation of <paramref name="json"/> as "JSON path: message", duplicate keys included; empty
    /// when valid. A <paramref name="schemaText"/> that is not a usable JSON schema throws an
    /// <see cref="InvalidDataException"/> naming <paramref name="schemaSource"/> (its file).</summary>
    public static IReadOnlyList<string> Validate(string json, string? schemaText = null, string? schemaSource = null)
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
            var violations = DuplicateKeys(json);
            var result = Evaluate(document.RootElement, schemaText, schemaSource);
            if (result.IsValid)
            {
                return violations;
            }

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
    public static void ThrowIfInvalid(string json, string source, string? schemaText = null,
        string? schemaSource = null)
    {
        var violations = Validate(json, schemaText, schemaSource);
        if (violations.Count > 0)
        {
            throw new ConfigException(source, violations);
        }
    }

    private static EvaluationResults Evaluate(JsonElement config, string? schemaText, string? schemaSource)
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        if (schemaText is null)
        {
            return Schemas.GetOrAdd(DefaultSchemaText, text => JsonSchema.FromText(text)).Evaluate(config, options);
        }

        try
        {
            // A registry of its own: in the global one, an edited copy of ours that keeps its $id would clash.
            return Schemas.GetOrAdd(schemaText,
                    text => JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }))
                .Evaluate(config, options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or JsonSchemaException)
        {
            var what = schemaSource is null ? "The given schema" : $"Schema file '{schemaSource}'";
            var problem = e is JsonException ? "is not valid JSON" : "is not a usable JSON schema";
            throw new InvalidDataException($"{what} {problem}: {e.Message.TrimEnd('.', ' ')}. Fix it, or leave "
                + "out --config-schema-path to validate with the built-in schema.", e);
        }
    }

    /// <summary>"JSON path: duplicate key" for each key given twice in one object: System.Text.Json would keep the
    /// last silently, so the config would not say what it seems to.</summary>
    private static List<string> DuplicateKeys(string json)
    {
        var duplicates = new List<string>();
        var open = new Stack<Container>();
        string? key = null;
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json),
            new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var keys = open.Peek().Keys!;
                    key = reader.GetString()!;
                    if (keys.TryGetValue(key, out int seen) && seen == 1)
                    {
                        duplicates.Add($"{open.Peek().Path}.{key}: duplicate key '{key}' (given more than once in "
                            + "this object; only one may be)");
                    }

                    keys[key] = seen + 1;
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    open.Push(new Container(PathOfValue(open, key), reader.TokenType == JsonTokenType.StartObject));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    break;
                default:
                    PathOfValue(open, key);
                    break;
            }
        }

        return duplicates;
    }

    // The path of the value starting now, in the "$.model.num_filters" form the schema violations use; counts it
    // when it is an array element.
    private static string PathOfValue(Stack<Container> open, string? key) =>
        open.Count == 0 ? "$"
        : open.Peek().Keys is null ? $"{open.Peek().Path}.{open.Peek().NextIndex++}"
        : $"{open.Peek().Path}.{key}";

    private static string ReadResource(string name)
    {
        using var stream = typeof(ConfigValidator).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} is missing from the GlowML assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class Container(string path, bool isObject)
    {
        public string Path { get; } = path;

        /// <summary>How often each key was seen, for an object; null for an array.</summary>
        public Dictionary<string, int>? Keys { get; } = isObject ? new(StringComparer.Ordinal) : null;

        public int NextIndex { get; set; }
    }
}
