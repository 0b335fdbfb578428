using Microsoft.ML.Data;

namespace GlowML.MLNet;

/// <summary>Conversions between planar float pixels [C, H, W] in [0, 1] and ML.NET images.</summary>
public static class PlanarImages
{
    /// <summary>Planar [C, H, W] (C = 1 or 3) in [0, 1] -> an RGBA <see cref="MLImage"/>.</summary>
    public static MLImage ToMLImage(ReadOnlySpan<float> planar, int channels, int height, int width)
    {
        if (channels != 1 && channels != 3)
        {
            throw new ArgumentException($"Images need 1 or 3 channels, got {channels}.");
        }

        int plane = height * width;
        if (planar.Length != channels * plane)
        {
            throw new ArgumentException($"Expected {channels}x{height}x{width} = {channels * plane} values, "
                + $"got {planar.Length}.");
        }

        var rgba = new byte[plane * 4];
        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                rgba[p * 4 + c] = ToByte(planar[(channels == 3 ? c : 0) * plane + p]);
            }

            rgba[p * 4 + 3] = 255;
        }

        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, rgba);
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);
}
