using System.IO.Compression;
using System.Text.Json;
using GlowML.MLNet;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML;

/// <summary>
/// Saves and loads whole fitted chains that contain Glow transformers, next to ML.NET's own
/// <c>mlContext.Model.Save</c>/<c>Load</c> (which cannot hold third-party transformers).
/// </summary>
/// <remarks>
/// File layout (a zip, format version 1): <c>manifest.json</c> ({"format": "glowml-chain", "version": 1,
/// "parts": [{"kind": "mlnet" | "glow", "entry": "..."}]}); <c>input.zip</c>, an empty ML.NET chain saved with
/// the input schema; then one entry per part in order: consecutive ML.NET transformers saved together by
/// ML.NET (<c>part-N.zip</c>), each Glow transformer in GlowML's model format (<c>part-N.glow</c>).
/// </remarks>
public static class GlowModelOperations
{
    private const int FormatVersion = 1;

    /// <summary>Saves <paramref name="model"/> (a chain, or a single transformer) to <paramref name="path"/>.</summary>
    public static void SaveWithGlow(this ModelOperationsCatalog catalog, ITransformer model,
        DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var groups = Group(Flatten(model));
        var temporary = path + ".tmp";
        using (var zip = ZipFile.Open(temporary, ZipArchiveMode.Create))
        {
            var parts = new List<Dictionary<string, string>>();
            using (var stream = zip.CreateEntry("input.zip").Open())
            {
                catalog.Save(new TransformerChain<ITransformer>(), inputSchema, stream);
            }

            var schema = inputSchema;
            for (int i = 0; i < groups.Count; i++)
            {
                var group = groups[i];
                if (group is [GlowTransformer glow])
                {
                    var file = Path.GetTempFileName();
                    try
                    {
                        glow.Save(file);
                        zip.CreateEntryFromFile(file, $"part-{i}.glow");
                    }
                    finally
                    {
                        File.Delete(file);
                    }

                    parts.Add(new() { ["kind"] = "glow", ["entry"] = $"part-{i}.glow" });
                }
                else
                {
                    var chain = new TransformerChain<ITransformer>(group.ToArray());
                    using var stream = zip.CreateEntry($"part-{i}.zip").Open();
                    catalog.Save(chain, schema, stream);
                    parts.Add(new() { ["kind"] = "mlnet", ["entry"] = $"part-{i}.zip" });
                }

                foreach (var transformer in group)
                {
                    schema = transformer.GetOutputSchema(schema);
                }
            }

            using var manifest = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            manifest.Write(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["format"] = "glowml-chain", ["version"] = FormatVersion, ["parts"] = parts,
            }));
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads a chain saved by <see cref="SaveWithGlow"/>.</summary>
    public static ITransformer LoadWithGlow(this ModelOperationsCatalog catalog, string path,
        out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        }

        // ML.NET finds loaders only in assemblies it has been shown; image transforms are the usual companions.
        var context = new MLContext();
        context.ComponentCatalog.RegisterAssembly(typeof(ImageLoadingTransformer).Assembly);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a GlowML chain file (not a zip archive).", e);
        }

        using (zip)
        {
            var manifestEntry = zip.GetEntry("manifest.json") ?? throw new InvalidDataException(
                $"'{path}' is not a GlowML chain file (no manifest.json); ML.NET models load with mlContext.Model.Load.");
            using var manifestStream = manifestEntry.Open();
            var manifest = JsonDocument.Parse(manifestStream).RootElement;
            int version = manifest.GetProperty("version").GetInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"'{path}' has chain format version {version}; this GlowML reads "
                    + $"{FormatVersion}.");
            }

            using (var input = Buffered(zip, "input.zip", path))
            {
                context.Model.Load(input, out inputSchema);
            }

            var transformers = new List<ITransformer>();
            foreach (var part in manifest.GetProperty("parts").EnumerateArray())
            {
                string entry = part.GetProperty("entry").GetString()!;
                if (part.GetProperty("kind").GetString() == "glow")
                {
                    var file = Path.GetTempFileName();
                    try
                    {
                        zip.GetEntry(entry)!.ExtractToFile(file, overwrite: true);
                        transformers.Add(GlowTransformer.Load(file));
                    }
                    finally
                    {
                        File.Delete(file);
                    }
                }
                else
                {
                    using var stream = Buffered(zip, entry, path);
                    var loaded = context.Model.Load(stream, out _);
                    transformers.AddRange(Flatten(loaded));
                }
            }

            return new TransformerChain<ITransformer>(transformers.ToArray());
        }
    }

    private static MemoryStream Buffered(ZipArchive zip, string entry, string path)
    {
        var found = zip.GetEntry(entry) ?? throw new InvalidDataException($"'{path}' lacks its entry '{entry}'.");
        var memory = new MemoryStream();
        using (var stream = found.Open())
        {
            stream.CopyTo(memory);
        }

        memory.Position = 0;
        return memory;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : new[] { model };

    // Consecutive ML.NET transformers are saved together; each Glow transformer stands alone.
    private static List<List<ITransformer>> Group(IEnumerable<ITransformer> transformers)
    {
        var groups = new List<List<ITransformer>>();
        foreach (var t in transformers)
        {
            if (t is GlowTransformer || groups.Count == 0 || groups[^1] is [GlowTransformer])
            {
                groups.Add(new List<ITransformer> { t });
            }
            else
            {
                groups[^1].Add(t);
            }
        }

        return groups;
    }
}
