using System.Security.Cryptography;
using System.Text;

namespace GlowML.Model;

/// <summary>
/// The envelope shared by GlowML's binary files: an 8-byte magic, an int32 format version, a body, and a SHA-256
/// of everything before it. Written atomically; read back only when magic, version and checksum all match, so a
/// truncated, corrupt or foreign file is refused with a message that names it.
/// </summary>
public static class ChecksummedFile
{
    private const int HashLength = 32;


    /// <summary>Writes magic, version, the body from <paramref name="writeBody"/> and the checksum to
    /// <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, ReadOnlySpan<byte> magic, int version, Action<BinaryWriter> writeBody)
    {
        ArgumentNullException.ThrowIfNull(writeBody);
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(magic);
            writer.Write(version);
            writeBody(writer);
        }

        var hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        AtomicFile.Write(path, stream =>
        {
            stream.Write(body.GetBuffer(), 0, (int)body.Length);
            stream.Write(hash);
        });
    }

    /// <summary>Checks <paramref name="path"/> and returns a reader positioned after magic and version.</summary>
    /// <param name="path">The file.</param>
    /// <param name="magic">The expected 8-byte magic.</param>
    /// <param name="version">The only format version this build reads.</param>
    /// <param name="what">What the file should be, for messages ("GlowML model file").</param>
    public static BinaryReader Open(string path, ReadOnlySpan<byte> magic, int version, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{Capitalise(what)} '{path}' does not exist.", path);
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < magic.Length || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
        {
            throw new InvalidDataException(
                $"'{path}' is not a {what} (its first bytes are not {Encoding.ASCII.GetString(magic).TrimEnd('\0')}).");
        }

        if (bytes.Length < magic.Length + 4 + HashLength)
        {
            throw new InvalidDataException($"{Capitalise(what)} '{path}' is truncated or corrupt ({bytes.Length} bytes).");
        }

        int found = BitConverter.ToInt32(bytes, magic.Length);
        int bodyLength = bytes.Length - HashLength;
        if (!SHA256.HashData(bytes.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(bytes.AsSpan(bodyLength)))
        {
            throw new InvalidDataException(
                $"{Capitalise(what)} '{path}' is truncated or corrupt: its SHA-256 checksum does not match.");
        }

        if (found != version)
        {
            throw new InvalidDataException(
                $"{Capitalise(what)} '{path}' has format version {found}; this GlowML reads version {version}.");
        }

        var reader = new BinaryReader(new MemoryStream(bytes, 0, bodyLength, writable: false), Encoding.UTF8);
        reader.ReadBytes(magic.Length + 4);
        return reader;
    }

    /// <summary>Writes a length-prefixed block of bytes.</summary>
    public static void WriteBlock(BinaryWriter writer, ReadOnlySpan<byte> block)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write((long)block.Length);
        writer.Write(block);
    }

    /// <summary>Reads a block written by <see cref="WriteBlock"/>.</summary>
    public static byte[] ReadBlock(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"A block claims {length} bytes but the file holds fewer.");
        }

        return reader.ReadBytes((int)length);
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
