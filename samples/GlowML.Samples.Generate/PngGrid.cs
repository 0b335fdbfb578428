using SkiaSharp;

namespace GlowML.Samples.Generate;

/// <summary>Writes sampled images as one PNG: a near-square grid on white with a 2-pixel gap.</summary>
internal static class PngGrid
{
    private const int Gap = 2;

    public static void Save(SampledImages images, string path)
    {
        int columns = (int)Math.Ceiling(Math.Sqrt(images.Count));
        int rows = (images.Count + columns - 1) / columns;
        int h = images.Height, w = images.Width, plane = h * w;
        var info = new SKImageInfo(columns * (w + Gap) + Gap, rows * (h + Gap) + Gap, SKColorType.Rgba8888,
            SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        bitmap.Erase(SKColors.White);
        for (int n = 0; n < images.Count; n++)
        {
            int left = Gap + n % columns * (w + Gap), top = Gap + n / columns * (h + Gap);
            var image = images.Pixels.AsSpan(n * images.Channels * plane, images.Channels * plane);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    int p = y * w + x;
                    byte red = ToByte(image[p]);
                    // A grey image repeats its one plane in all three colours.
                    byte green = images.Channels == 3 ? ToByte(image[plane + p]) : red;
                    byte blue = images.Channels == 3 ? ToByte(image[2 * plane + p]) : red;
                    bitmap.SetPixel(left + x, top + y, new SKColor(red, green, blue));
                }
            }
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode the grid for '{path}' as PNG.");
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    // NaN (a diverged reverse pass) becomes black rather than an arbitrary byte.
    private static byte ToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);
}
