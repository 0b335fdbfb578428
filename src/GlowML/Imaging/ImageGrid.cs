using SkiaSharp;
using static TorchSharp.torch;

namespace GlowML.Imaging;

/// <summary>Writes a batch of images as one PNG grid, and converts between tensors and 8-bit pixels.</summary>
public static class ImageGrid
{
    /// <summary>Saves images [N, C, H, W] with values in [0, 1] (C = 1 or 3) as a PNG grid with
    /// <paramref name="columns"/> columns (default: a near-square grid) and a 2-pixel gap.</summary>
    public static void SavePng(Tensor images, string path, int? columns = null)
    {
        var bytes = ToBytes(images);
        long count = images.shape[0];
        int channels = (int)images.shape[1], height = (int)images.shape[2], width = (int)images.shape[3];
        int cols = columns ?? (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (int)((count + cols - 1) / cols);
        const int Gap = 2;
        int gridWidth = cols * width + (cols + 1) * Gap, gridHeight = rows * height + (rows + 1) * Gap;
        using var bitmap = new SKBitmap(new SKImageInfo(gridWidth, gridHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(255, 255, 255));
        int plane = height * width;
        for (int n = 0; n < count; n++)
        {
            int x0 = Gap + (n % cols) * (width + Gap), y0 = Gap + (n / cols) * (height + Gap);
            int offset = n * channels * plane;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int p = offset + y * width + x;
                    byte r = bytes[p];
                    byte g = channels == 3 ? bytes[p + plane] : r;
                    byte b = channels == 3 ? bytes[p + 2 * plane] : r;
                    bitmap.SetPixel(x0 + x, y0 + y, new SKColor(r, g, b));
                }
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>Images [N, C, H, W] in [0, 1] -> planar bytes (round(x * 255), clamped), N*C*H*W long.</summary>
    public static byte[] ToBytes(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || (images.shape[1] != 1 && images.shape[1] != 3))
        {
            throw new ArgumentException(
                $"Expected images [N, 1 or 3, H, W], got [{string.Join(", ", images.shape)}].");
        }

        using var scope = NewDisposeScope();
        return (images.detach().cpu() * 255.0).round().clamp(0, 255).to(ScalarType.Byte).data<byte>().ToArray();
    }
}
