using static TorchSharp.torch;

namespace GlowML.Data;

/// <summary>Helpers that move raw image bytes into one uint8 [N, C, H, W] tensor without a float copy.</summary>
internal static class PixelBuffer
{
    /// <summary>Copies <paramref name="bytes"/> (planar [N, C, H, W] order) into a new uint8 tensor.</summary>
    public static Tensor ToTensor(byte[] bytes, long count, int channels, int height, int width)
    {
        var pixels = empty(new[] { count, channels, height, width }, ScalarType.Byte);
        if (bytes.LongLength > 0)
        {
            using var accessor = pixels.data<byte>();
            accessor.CopyFrom(bytes, 0, 0);
        }

        return pixels;
    }

    /// <summary>Fills <paramref name="pixels"/> (uint8, contiguous) from <paramref name="stream"/> in chunks,
    /// so a 150 MB data set never needs a second managed copy. Returns the number of bytes read (less than the
    /// tensor's size only if the stream ended early).</summary>
    public static long Fill(Tensor pixels, Stream stream, long byteCount)
    {
        var chunk = new byte[1 << 20];
        long done = 0;
        using var accessor = pixels.data<byte>();
        while (done < byteCount)
        {
            int want = (int)Math.Min(chunk.Length, byteCount - done);
            int got = stream.ReadAtLeast(chunk.AsSpan(0, want), want, throwOnEndOfStream: false);
            if (got > 0)
            {
                accessor.CopyFrom(new ReadOnlySpan<byte>(chunk, 0, got), 0, done);
                done += got;
            }

            if (got < want)
            {
                break;
            }
        }

        return done;
    }

    /// <summary>Grey from RGB with the ITU-R BT.601 luma weights, rounded: one rule for every source.</summary>
    public static byte Luma(byte red, byte green, byte blue) =>
        (byte)((299 * red + 587 * green + 114 * blue + 500) / 1000);
}
