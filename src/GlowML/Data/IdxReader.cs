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

    /// <summary>The most data read from a gzip IDX file, 1 GiB: more than any public IDX set (EMNIST ByClass holds
    /// 0.64 GB), so a larger declaration means a damaged header, refused before it is allocated.</summary>
    private const long MaxGzipBytes = 1L << 30;

    /// <summary>Reads an idx3 image file into uint8 [N, 1, H, W]; <paramref name="max"/> stops after that many
    /// images (the rest of the file is then not checked).</summary>
    public static ImageSet ReadImages(string path, long? max = null)
    {
        var (stream, gzip) = Open(path);
        using (stream)
        {
            try
            {
                return ReadImages(stream, gzip, path, max);
            }
            catch (InvalidDataException) when (gzip)
            {
                throw CorruptGzip(path);
            }
        }
    }

    /// <summary>Reads an idx1 label file (one unsigned byte per image).</summary>
    public static long[] ReadLabels(string path, long? max = null)
    {
        var (stream, gzip) = Open(path);
        using (stream)
        {
            try
            {
                return ReadLabels(stream, gzip, path, max);
            }
            catch (InvalidDataException) when (gzip)
            {
                throw CorruptGzip(path);
            }
        }
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

    private static ImageSet ReadImages(Stream stream, bool gzip, string path, long? max)
    {
        var dims = ReadHeader(stream, path, expectedDimensions: 3, what: "images");
        long count = max is { } m ? Math.Min(Math.Max(m, 0), dims[0]) : dims[0];
        int height = checked((int)dims[1]);
        int width = checked((int)dims[2]);
        long imageBytes = (long)height * width;
        long headerBytes = 4 + 4 * dims.Length;
        CheckDeclaredSize(stream, gzip, path, dims, count, imageBytes, headerBytes, i => $"inside image {i}");

        using var scope = NewDisposeScope();
        var pixels = empty(new[] { count, 1L, height, width }, ScalarType.Byte);
        long read = PixelBuffer.Fill(pixels, stream, count * imageBytes);
        if (read < count * imageBytes)
        {
            long image = read / imageBytes;
            throw new DataFileException(path,
                $"IDX file '{path}' is truncated: it ends at byte offset {headerBytes + read}{Decompressed(gzip)} " +
                $"inside image {image}; the header promises {dims[0]} images of {height}x{width}, " +
                $"{headerBytes + dims[0] * imageBytes} bytes in all.{CutShortHint(gzip, dims)}",
                image, headerBytes + read);
        }

        if (count == dims[0])
        {
            ThrowIfTrailingBytes(stream, path, headerBytes + read);
        }

        return new ImageSet(pixels.MoveToOuterDisposeScope(), null, path);
    }

    private static long[] ReadLabels(Stream stream, bool gzip, string path, long? max)
    {
        var dims = ReadHeader(stream, path, expectedDimensions: 1, what: "labels");
        long count = max is { } m ? Math.Min(Math.Max(m, 0), dims[0]) : dims[0];
        CheckDeclaredSize(stream, gzip, path, dims, count, recordBytes: 1, headerBytes: 8, i => $"at label {i}");
        var bytes = new byte[count];
        int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < count)
        {
            throw new DataFileException(path,
                $"IDX label file '{path}' is truncated: it ends at byte offset {8 + got}{Decompressed(gzip)}, at " +
                $"label {got} of the {dims[0]} its header promises.{CutShortHint(gzip, dims)}", got, 8 + got);
        }

        if (count == dims[0])
        {
            ThrowIfTrailingBytes(stream, path, 8 + count);
        }

        return Array.ConvertAll(bytes, b => (long)b);
    }

    private static (Stream Stream, bool Gzip) Open(string path)
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
        return gzip ? (new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16), true)
            : (file, false);
    }

    /// <summary>Refuses a header that declares more data than can be there, before anything is allocated for it:
    /// for a plain file, more than the bytes that follow the header; for gzip, whose decompressed length is unknown
    /// until read, more than <see cref="MaxGzipBytes"/>.</summary>
    private static void CheckDeclaredSize(Stream stream, bool gzip, string path, long[] dims, long count,
        long recordBytes, long headerBytes, Func<long, string> position)
    {
        // Int128: three int32 dimensions multiply past long.
        Int128 wanted = (Int128)count * recordBytes;
        Int128 declared = (Int128)dims[0] * recordBytes;
        if (!gzip)
        {
            long available = Math.Max(0, stream.Length - headerBytes);
            if (wanted > available)
            {
                long record = available / recordBytes;
                throw new DataFileException(path,
                    $"IDX file '{path}' is too short for its header: the header declares dimensions {Dims(dims)} " +
                    $"({declared} bytes of data) but the file ends at byte offset {headerBytes + available}, " +
                    $"{position(record)}.", record, headerBytes + available);
            }
        }
        else if (wanted > MaxGzipBytes)
        {
            throw new DataFileException(path,
                $"IDX file '{path}' declares dimensions {Dims(dims)} ({wanted} bytes of data to read), more than " +
                $"the {MaxGzipBytes} bytes this reader takes from a gzip file, so its header is probably damaged. " +
                "If the data really is that large, gunzip it: a plain file is checked against its real length.",
                byteOffset: 4);
        }
    }

    private static string Dims(long[] dims) => string.Join(" x ", dims);

    private static string Decompressed(bool gzip) => gzip ? " (decompressed)" : "";

    // The gzip decompressor ends quietly when its input runs out, so a cut-short download shows up only as too
    // little data.
    private static string CutShortHint(bool gzip, long[] dims) => gzip
        ? $" Its gzip data ends early for dimensions {Dims(dims)}: the file is probably cut short (an interrupted " +
          "download or copy), so fetch it again; 'gzip -t' checks it."
        : "";

    // Neither the decompressor's message nor an inner exception: zlib calls every damaged stream an "unsupported
    // compression method", and the command line would print it as the cause.
    private static DataFileException CorruptGzip(string path) =>
        new(path, $"IDX file '{path}' holds corrupt gzip data (a wrong checksum or damaged compressed bytes). " +
            "Fetch the file again; 'gzip -t' checks it.");

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
