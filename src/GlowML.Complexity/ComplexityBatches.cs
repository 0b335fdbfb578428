namespace GlowML.Ood;

/// <summary>
/// Batch helpers for <see cref="IComplexityEstimator"/> that need no tensor library: the ML.NET transformers of
/// GlowML and GlowML.Onnx compute a batch's complexity column with them.
/// </summary>
public static class ComplexityBatches
{
    /// <summary>
    /// Complexity in bits per dimension of each of <paramref name="count"/> images, encoded in parallel.
    /// </summary>
    /// <param name="estimator">The compressor.</param>
    /// <param name="images">Planar uint8 pixels [B, C, H, W], images back to back.</param>
    /// <param name="count">B, the number of images.</param>
    /// <param name="channels">C: 1 (grey) or 3 (RGB).</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <returns>L(x) for each image, [B].</returns>
    public static double[] BitsPerDimension(this IComplexityEstimator estimator, byte[] images, int count,
        int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int size = SkiaImages.CheckShape(estimator.Name, channels * height * width, channels, height, width);
        if (images.LongLength != (long)count * size)
        {
            throw new ArgumentException(
                $"{estimator.Name} complexity: expected {(long)count * size} bytes for [B, C, H, W] = " +
                $"[{count}, {channels}, {height}, {width}], got {images.LongLength}.", nameof(images));
        }

        var result = new double[count];
        Parallel.For(0, count, i =>
            result[i] = estimator.BitsPerDimension(images.AsSpan(i * size, size), channels, height, width));
        return result;
    }

    /// <summary>
    /// Complexity in bits per dimension of each of <paramref name="count"/> images given as float pixels, of the
    /// 8-bit images <see cref="ToBytes"/> recovers from them, encoded in parallel.
    /// </summary>
    /// <param name="estimator">The compressor.</param>
    /// <param name="pixels">Planar float pixels [B, C, H, W], images back to back.</param>
    /// <param name="scale">255 for value / 255 pixels, 1 for raw 0..255 values.</param>
    /// <param name="count">B, the number of images.</param>
    /// <param name="channels">C: 1 (grey) or 3 (RGB).</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <returns>L(x) for each image, [B].</returns>
    public static double[] BitsPerDimension(this IComplexityEstimator estimator, ReadOnlySpan<float> pixels,
        float scale, int count, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        var bytes = new byte[pixels.Length];
        ToBytes(pixels, scale, bytes);
        return estimator.BitsPerDimension(bytes, count, channels, height, width);
    }

    /// <summary>
    /// The 8-bit image behind float pixels: round(value * <paramref name="scale"/>) clamped to 0..255. Use scale
    /// 255 for value / 255 pixels (ExtractPixels with scale 1/255) and 1 for raw 0..255 values; the flow's
    /// quantisation recovers the bytes the same way, so the compressor sees exactly what the model scores.
    /// </summary>
    /// <param name="pixels">Float pixels, any layout (kept as is).</param>
    /// <param name="scale">Factor that maps a value to 0..255.</param>
    /// <param name="destination">One byte per pixel, the same length as <paramref name="pixels"/>.</param>
    public static void ToBytes(ReadOnlySpan<float> pixels, float scale, Span<byte> destination)
    {
        if (destination.Length != pixels.Length)
        {
            throw new ArgumentException(
                $"Expected a destination of {pixels.Length} bytes, one per pixel, got {destination.Length}.",
                nameof(destination));
        }

        for (int i = 0; i < pixels.Length; i++)
        {
            // A NaN pixel has no byte; black is a defined answer where a cast would give an arbitrary one.
            float value = MathF.Round(pixels[i] * scale);
            destination[i] = float.IsNaN(value) ? (byte)0 : (byte)Math.Clamp(value, 0f, 255f);
        }
    }
}
