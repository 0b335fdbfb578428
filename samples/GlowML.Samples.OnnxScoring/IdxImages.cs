using System.Buffers.Binary;
using System.IO.Compression;

namespace GlowML.Samples.OnnxScoring;

/// <summary>Reads grey images from an IDX file (MNIST, Fashion-MNIST), gzipped or not.</summary>
internal static class IdxImages
{
    /// <summary>The first <paramref name="count"/> images as value / 255, planar [count, 1, rows, cols].</summary>
    public static (float[] Pixels, int Count, int Rows, int Cols) Read(string path, int count)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress) : file;
        // Layout: 0x00 0x00 type(0x08 = unsigned byte) rank(3), then rank big-endian int32 sizes, then the bytes.
        var header = new byte[16];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != 3)
        {
            throw new InvalidDataException($"'{path}' is not an IDX file of 3-D unsigned bytes: its first four bytes "
                + $"are {Convert.ToHexString(header, 0, 4)}, expected 00000803.");
        }

        int available = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        int cols = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        count = Math.Min(count, available);
        var bytes = new byte[count * rows * cols];
        stream.ReadExactly(bytes);
        return (bytes.Select(b => b / 255f).ToArray(), count, rows, cols);
    }
}
