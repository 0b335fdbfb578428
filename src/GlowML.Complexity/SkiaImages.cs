using System.Runtime.InteropServices;
using SkiaSharp;

namespace GlowML.Ood;

/// <summary>Encodes planar uint8 [C, H, W] pixels with SkiaSharp; shared by the complexity estimators.</summary>
internal static class SkiaImages
{
    /// <summary>Checks the shape and returns C*H*W.</summary>
    public static int CheckShape(string estimator, int length, int channels, int height, int width)
    {
        if (channels != 1 && channels != 3)
        {
            throw new ArgumentException(
                $"{estimator} complexity takes 1 (grey) or 3 (RGB) channels, got {channels}.", nameof(channels));
        }

        if (height <= 0 || width <= 0)
        {
            throw new ArgumentException(
                $"{estimator} complexity needs a positive image size, got {height}x{width} (H x W).");
        }

        long dimensions = (long)channels * height * width;
        if (length != dimensions)
        {
            throw new ArgumentException(
                $"{estimator} complexity: expected {dimensions} planar pixels for [C, H, W] = " +
                $"[{channels}, {height}, {width}], got {length}.", "pixels");
        }

        return (int)dimensions;
    }

    /// <summary>
    /// Encodes planar pixels [C, H, W] with <paramref name="encode"/> and returns the encoded file's bytes. Grey
    /// images go in as Gray8; RGB images are interleaved into opaque RGBA so that encoders store no alpha plane.
    /// </summary>
    public static byte[] Encode(string estimator, ReadOnlySpan<byte> pixels, int channels, int height, int width,
        Func<SKPixmap, SKData?> encode)
    {
        CheckShape(estimator, pixels.Length, channels, height, width);
        byte[] packed;
        SKImageInfo info;
        if (channels == 1)
        {
            packed = pixels.ToArray();
            info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        }
        else
        {
            int plane = height * width;
            packed = new byte[plane * 4];
            for (int i = 0; i < plane; i++)
            {
                packed[4 * i] = pixels[i];
                packed[4 * i + 1] = pixels[plane + i];
                packed[4 * i + 2] = pixels[2 * plane + i];
                packed[4 * i + 3] = byte.MaxValue;
            }

            info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        }

        // Pinned so that Skia can read the managed buffer in place for the duration of the encode.
        var handle = GCHandle.Alloc(packed, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = encode(pixmap) ?? throw new InvalidOperationException(
                $"SkiaSharp could not {estimator}-encode a [{channels}, {height}, {width}] image.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
