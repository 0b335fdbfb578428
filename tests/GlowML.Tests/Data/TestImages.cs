using SkiaSharp;

namespace GlowML.Tests.Data;

/// <summary>Writes small images with known pixels in every format the image folder reader takes.</summary>
internal static class TestImages
{
    /// <summary>RGB pixel (x, y) of a test image: distinct per channel and position.</summary>
    public static (byte R, byte G, byte B) Colour(int x, int y, int seed = 0) =>
        ((byte)(40 + 50 * x + seed), (byte)(200 - 40 * y), (byte)(90 + 20 * x + 30 * y));

    public static void Write(string path, int width, int height, SKEncodedImageFormat format, bool grey = false,
        int seed = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (format == SKEncodedImageFormat.Bmp)
        {
            File.WriteAllBytes(path, Bmp(width, height, seed));
            return;
        }

        var info = new SKImageInfo(width, height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = Colour(x, y, seed);
                bitmap.SetPixel(x, y, grey ? new SKColor(r, r, r) : new SKColor(r, g, b));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>A 24-bit BMP written by hand (Skia decodes BMP but does not encode it).</summary>
    private static byte[] Bmp(int width, int height, int seed)
    {
        int stride = (width * 3 + 3) / 4 * 4;
        var bytes = new byte[54 + stride * height];
        void Int(int at, int value) => BitConverter.GetBytes(value).CopyTo(bytes, at);
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        Int(2, bytes.Length);
        Int(10, 54);
        Int(14, 40);
        Int(18, width);
        Int(22, height);
        bytes[26] = 1;
        bytes[28] = 24;
        Int(34, stride * height);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * stride; // bottom-up rows
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = Colour(x, y, seed);
                bytes[row + 3 * x] = b;
                bytes[row + 3 * x + 1] = g;
                bytes[row + 3 * x + 2] = r;
            }
        }

        return bytes;
    }
}
