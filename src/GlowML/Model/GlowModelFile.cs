using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GlowML.Model;

/// <summary>
/// Self-describing model files: the architecture, free-form metadata and the weights, with a checksum, so that a
/// file can be loaded without knowing how it was made, and a truncated or foreign file is refused by name.
/// </summary>
/// <remarks>
/// Layout, format version 1 (little-endian, strings as .NET BinaryWriter writes them):
/// <code>
///   8 bytes   magic "GLOWMLM\0"
///   int32     format version (1)
///   string    kind: "model" or "release"
///   string    architecture as JSON (GlowArchitecture)
///   string    metadata as JSON (string -> string)
///   int64     length N of the weights block
///   N bytes   the state dict as TorchSharp's Module.save writes it
///   32 bytes  SHA-256 of every byte above
/// </code>
/// </remarks>
public static class GlowModelFile
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "GLOWMLM\0"u8.ToArray();

    /// <summary>Writes <paramref name="model"/> with <paramref name="metadata"/> to <paramref name="path"/>
    /// atomically (a temporary file renamed into place).</summary>
    public static void Save(GlowModel model, string path, IReadOnlyDictionary<string, string>? metadata = null,
        string kind = "model")
    {
        ArgumentNullException.ThrowIfNull(model);
        using var weights = new MemoryStream();
        using (var writer = new BinaryWriter(weights, Encoding.UTF8, leaveOpen: true))
        {
            model.save(writer);
        }

        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(kind);
            writer.Write(JsonSerializer.Serialize(model.Architecture, GlowJson.Options));
            writer.Write(JsonSerializer.Serialize(metadata ?? new Dictionary<string, string>(), GlowJson.Options));
            writer.Write(weights.Length);
            writer.Write(weights.GetBuffer(), 0, (int)weights.Length);
        }

        var hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        AtomicFile.Write(path, stream =>
        {
            stream.Write(body.GetBuffer(), 0, (int)body.Length);
            stream.Write(hash);
        });
    }

    /// <summary>Reads the header of <paramref name="path"/> without building the model.</summary>
    public static GlowModelFileInfo ReadInfo(string path) => Read(path, buildModel: false).Info;

    /// <summary>Loads the model in <paramref name="path"/> in evaluation mode, with its metadata.</summary>
    public static (GlowModel Model, GlowModelFileInfo Info) Load(string path)
    {
        var (info, model) = Read(path, buildModel: true);
        return (model!, info);
    }

    private static (GlowModelFileInfo Info, GlowModel? Model) Read(string path, bool buildModel)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a GlowML model file (its first bytes are not GLOWMLM).");
        }

        if (bytes.Length < Magic.Length + 4 + 32)
        {
            throw new InvalidDataException($"Model file '{path}' is truncated ({bytes.Length} bytes).");
        }

        int version = BitConverter.ToInt32(bytes, Magic.Length);
        if (version != FormatVersion)
        {
            throw new InvalidDataException(
                $"Model file '{path}' has format version {version}; this GlowML reads version {FormatVersion}.");
        }

        int bodyLength = bytes.Length - 32;
        var expected = SHA256.HashData(bytes.AsSpan(0, bodyLength));
        if (!expected.AsSpan().SequenceEqual(bytes.AsSpan(bodyLength)))
        {
            throw new InvalidDataException(
                $"Model file '{path}' is truncated or corrupt: its SHA-256 checksum does not match.");
        }

        using var stream = new MemoryStream(bytes, 0, bodyLength, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        reader.ReadBytes(Magic.Length + 4);
        string kind = reader.ReadString();
        var architecture = JsonSerializer.Deserialize<GlowArchitecture>(reader.ReadString(), GlowJson.Options)
            ?? throw new InvalidDataException($"Model file '{path}' has no architecture.");
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.ReadString(), GlowJson.Options)
            ?? new Dictionary<string, string>();
        long weightsLength = reader.ReadInt64();
        var info = new GlowModelFileInfo(path, kind, version, architecture, metadata);
        if (!buildModel)
        {
            return (info, null);
        }

        var model = new GlowModel(architecture);
        using (var weights = new BinaryReader(new MemoryStream(bytes, (int)stream.Position, (int)weightsLength)))
        {
            model.load(weights);
        }

        model.eval();
        return (info, model);
    }
}
