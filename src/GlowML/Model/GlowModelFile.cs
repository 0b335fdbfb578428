using System.Text;
using System.Text.Json;

namespace GlowML.Model;

/// <summary>
/// Self-describing model files (standalone models and releases): the architecture, free-form metadata and the
/// weights, so that a file can be loaded without knowing how it was made.
/// </summary>
/// <remarks>
/// Layout, format version 1, inside <see cref="ChecksummedFile"/>'s envelope (magic "GLOWMLM\0", version, body,
/// SHA-256); strings as .NET BinaryWriter writes them:
/// <code>
///   string    kind: "model" or "release"
///   string    architecture as JSON (GlowArchitecture)
///   string    metadata as JSON (string -> string)
///   block     int64 length + the state dict as TorchSharp's Module.save writes it
/// </code>
/// </remarks>
public static class GlowModelFile
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string What = "GlowML model file";
    private static readonly byte[] Magic = "GLOWMLM\0"u8.ToArray();

    /// <summary>Writes <paramref name="model"/> with <paramref name="metadata"/> to <paramref name="path"/>
    /// atomically (a temporary file renamed into place).</summary>
    public static void Save(GlowModel model, string path, IReadOnlyDictionary<string, string>? metadata = null,
        string kind = "model")
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = WeightsOf(model);
        ChecksummedFile.Write(path, Magic, FormatVersion, writer =>
        {
            writer.Write(kind);
            writer.Write(JsonSerializer.Serialize(model.Architecture, GlowJson.Options));
            writer.Write(JsonSerializer.Serialize(metadata ?? new Dictionary<string, string>(), GlowJson.Options));
            ChecksummedFile.WriteBlock(writer, weights);
        });
    }

    /// <summary>Reads the header of <paramref name="path"/> without building the model.</summary>
    public static GlowModelFileInfo ReadInfo(string path)
    {
        using var reader = ChecksummedFile.Open(path, Magic, FormatVersion, What);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads the model in <paramref name="path"/> in evaluation mode, with its header.</summary>
    public static (GlowModel Model, GlowModelFileInfo Info) Load(string path)
    {
        using var reader = ChecksummedFile.Open(path, Magic, FormatVersion, What);
        var info = ReadHeader(reader, path);
        var model = ModelFrom(info.Architecture, ChecksummedFile.ReadBlock(reader));
        return (model, info);
    }

    /// <summary>The model's state dict as TorchSharp's Module.save writes it.</summary>
    public static byte[] WeightsOf(GlowModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            model.save(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Builds a model of <paramref name="architecture"/> and loads <paramref name="weights"/> into it,
    /// in evaluation mode.</summary>
    public static GlowModel ModelFrom(GlowArchitecture architecture, byte[] weights)
    {
        var model = new GlowModel(architecture);
        using (var reader = new BinaryReader(new MemoryStream(weights)))
        {
            model.load(reader);
        }

        model.eval();
        return model;
    }

    private static GlowModelFileInfo ReadHeader(BinaryReader reader, string path)
    {
        string kind = reader.ReadString();
        var architecture = JsonSerializer.Deserialize<GlowArchitecture>(reader.ReadString(), GlowJson.Options)
            ?? throw new InvalidDataException($"{What} '{path}' has no architecture.");
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.ReadString(), GlowJson.Options)
            ?? new Dictionary<string, string>();
        return new GlowModelFileInfo(path, kind, FormatVersion, architecture, metadata);
    }
}
