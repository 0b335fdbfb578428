using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace GlowML.Data;

/// <summary>
/// Reads the IDX format of MNIST, Fashion-MNIST and KMNIST, plain or gzip-compressed (detected from the bytes, not
/// the name). Layout: two zero bytes, a type byte (0x08 = unsigned byte), a dimension count, one big-endian int32
/// per dimension, then the data row-major. Images are 3-dimensional (N, H, W), labels 1-dimensional (N).
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an idx3 image file into uint8 [N, 1, H, W]; <paramref name="max"/> stops after that many
    /// images (the rest of the file is then not checked).</summary>
    public static ImageSet ReadImages(string path, long? max = null)
    {
        using var stream = Open(path);
        var dims = ReadHeader(stream, path, expectedDimensions: 3, what: "images");
        long count = max is { } m ? Math.Min(Math.Max(m, 0), dims[0]) : dims[0];
        int height = checked((int)dims[1]);
        int width = checked((int)dims[2]);
        long imageBytes = (long)height * width;
        long headerBytes = 4 + 4 * dims.Length;

        using var scope = NewDisposeScope();
        var pixels = empty(new[] { count, 1L, height, width }, ScalarType.Byte);
        long read = PixelBuffer.Fill(pixels, stream, count * imageBytes);
        if (read < count * imageBytes)
        {
            long image = read / imageBytes;
            throw new DataFileException(path,
                $"IDX file '{path}' is truncated: it ends at byte offset {headerBytes + read} (decompressed) inside " +
                $"image {image}; the header promises {dims[0]} images of {height}x{width}, " +
                $"{headerBytes + dims[0] * imageBytes} bytes in all.", image, headerBytes + read);
        }

        if (count == dims[0])
        {
            ThrowIfTrailingBytes(stream, path, headerBytes + read);
        }

        return new ImageSet(pixels.MoveToOuterDisposeScope(), null, path);
    }

    /// <summary>Reads an idx1 label file (one unsigned byte per image).</summary>
    public static long[] ReadLabels(string path, long? max = null)
    {
        using var stream = Open(path);
        var dims = ReadHeader(stream, path, expectedDimensions: 1, what: "labels");
        long count = max is { } m ? Math.Min(Math.Max(m, 0), dims[0]) : dims[0];
        var bytes = new byte[count];
        int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < count)
        {
            throw new DataFileException(path,
                $"IDX label file '{path}' is truncated: it ends at byte offset {8 + got} (decompressed), at label " +
                $"{got} of the {dims[0]} its header promises.", got, 8 + got);
        }

        if (count == dims[0])
        {
            ThrowIfTrailingBytes(stream, path, 8 + count);
        }

        return Array.ConvertAll(bytes, b => (long)b);
    }

    /// <summary>The path as given if it exists, else the same name with or without ".gz"; null if neither.</summary>
    public static string? FindFile(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        if (File.Exists(path))
        {
            return path;
        }

        var other = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path + ".gz";
        return File.Exists(other) ? other : null;
    }

    private static Stream Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return gzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
    }

    private static long[] ReadHeader(Stream stream, string path, int expectedDimensions, string what)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadHeaderBytes(stream, magic, path, 0);
        uint expected = (uint)(UnsignedByteType << 8 | expectedDimensions);
        uint actual = BinaryPrimitives.ReadUInt32BigEndian(magic);
        if (actual != expected)
        {
            throw new DataFileException(path,
                $"IDX file '{path}' has magic number 0x{actual:X8} at byte offset 0; IDX {what} need 0x{expected:X8} " +
                $"(unsigned bytes, {expectedDimensions} dimension{(expectedDimensions == 1 ? "" : "s")}).",
                byteOffset: 0);
        }

        var dims = new long[expectedDimensions];
        Span<byte> value = stackalloc byte[4];
        for (int d = 0; d < expectedDimensions; d++)
        {
            ReadHeaderBytes(stream, value, path, 4 + 4 * d);
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(value);
            if (dims[d] < 0 || (d > 0 && dims[d] == 0))
            {
                throw new DataFileException(path,
                    $"IDX file '{path}' declares dimension {d} as {dims[d]} at byte offset {4 + 4 * d}.",
                    byteOffset: 4 + 4 * d);
            }
        }

        return dims;
    }

    private static void ReadHeaderBytes(Stream stream, Span<byte> buffer, string path, long offset)
    {
        int got = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (got < buffer.Length)
        {
            throw new DataFileException(path,
                $"IDX file '{path}' is truncated inside its header: it ends at byte offset {offset + got}.",
                byteOffset: offset + got);
        }
    }

    private static void ThrowIfTrailingBytes(Stream stream, string path, long offset)
    {
        // Extra bytes mean the header and the data disagree, so the images may be misaligned: refuse.
        if (stream.ReadByte() >= 0)
        {
            throw new DataFileException(path,
                $"IDX file '{path}' has data beyond byte offset {offset}, where its header says it ends.",
                byteOffset: offset);
        }
    }
}
