using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using static TorchSharp.torch;

namespace GlowML.Data;

/// <summary>
/// Turns one column of an ML.NET <see cref="IDataView"/> into an <see cref="ImageSet"/> (uint8 [N, C, H, W]), for
/// the ML.NET estimator: either a known-size float vector (planar [C, H, W], as ExtractPixels emits, values in
/// [0, 1] or 0..255) or an image column (<see cref="MLImage"/>, as LoadImages and ResizeImages emit). Values are
/// brought back to bytes by rounding, the inverse of ExtractPixels' scaling.
/// </summary>
public static class DataViewImages
{
    /// <summary>Reads <paramref name="columnName"/> of every row. A vector column must be Single of size
    /// channels * height * width; an image column must hold height x width images. Anything else throws
    /// <see cref="ArgumentException"/> naming the column, its type and the expected type; a vector value outside the
    /// range throws <see cref="InvalidDataException"/> naming the row.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="columnName">The pixel or image column.</param>
    /// <param name="channels">C: 1 (an image column is converted with BT.601 luma) or 3.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="valuesUpTo255">Vector values are 0..255 (ExtractPixels with scale 1) rather than [0, 1].</param>
    public static ImageSet ToImageSet(IDataView data, string columnName, int channels, int height, int width,
        bool valuesUpTo255 = false)
    {
        // LIMITATION: labels are not read from the data view; the set has none (Glow training does not need them).
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columnName);
        if (channels is not (1 or 3) || height < 1 || width < 1)
        {
            throw new ArgumentException(
                $"Images must have 1 or 3 channels and a positive size, got [{channels}, {height}, {width}].");
        }

        var column = data.Schema.GetColumnOrNull(columnName) ?? throw new ArgumentException(
            $"Column '{columnName}' is not in the data; it has {string.Join(", ", data.Schema.Select(c => c.Name))}.",
            nameof(columnName));
        int size = channels * height * width;
        var rows = column.Type switch
        {
            VectorDataViewType { ItemType: var item, Size: var length } vector
                when item == NumberDataViewType.Single && length == size && DimensionsFit(vector, channels, height,
                    width) => ReadVectors(data, column, size, valuesUpTo255),
            ImageDataViewType image when (image.Height == 0 || image.Height == height) &&
                                         (image.Width == 0 || image.Width == width) =>
                ReadImages(data, column, channels, height, width),
            var other => throw new ArgumentException(
                $"Column '{columnName}' has type {other}; expected Vector<Single, {size}> (planar " +
                $"[{channels}, {height}, {width}]) or Image<{height}, {width}>.", nameof(columnName)),
        };

        using var scope = NewDisposeScope();
        var pixels = empty(new long[] { rows.Count, channels, height, width }, ScalarType.Byte);
        using (var accessor = pixels.data<byte>())
        {
            for (int r = 0; r < rows.Count; r++)
            {
                accessor.CopyFrom(rows[r], 0, (long)r * size);
            }
        }

        return new ImageSet(pixels.MoveToOuterDisposeScope(), null, $"IDataView column '{columnName}'");
    }

    private static bool DimensionsFit(VectorDataViewType vector, int channels, int height, int width) =>
        vector.Dimensions.Length <= 1 || vector.Dimensions.SequenceEqual([channels, height, width]);

    private static List<byte[]> ReadVectors(IDataView data, DataViewSchema.Column column, int size, bool upTo255)
    {
        float scale = upTo255 ? 1f : 255f;
        var rows = new List<byte[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        var dense = new float[size];
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            buffer.CopyTo(dense);
            var bytes = new byte[size];
            for (int i = 0; i < size; i++)
            {
                float value = dense[i] * scale;
                // Half a level of slack for float rounding; anything further is not this scale at all.
                if (!(value >= -0.5f && value <= 255.5f))
                {
                    throw new InvalidDataException(
                        $"Column '{column.Name}', row {cursor.Position}, element {i} is {dense[i]}, outside " +
                        (upTo255 ? "0..255." : "[0, 1] (pass valuesUpTo255 for 0..255 pixels)."));
                }

                bytes[i] = (byte)Math.Clamp(MathF.Round(value), 0, 255);
            }

            rows.Add(bytes);
        }

        return rows;
    }

    private static List<byte[]> ReadImages(IDataView data, DataViewSchema.Column column, int channels, int height,
        int width)
    {
        var rows = new List<byte[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<MLImage>(column);
        MLImage image = null!;
        while (cursor.MoveNext())
        {
            getter(ref image);
            rows.Add(PlanarBytes(image, channels, height, width, column.Name, cursor.Position));
        }

        return rows;
    }

    /// <summary>One image of an image column as planar bytes [C, H, W] (C = 1 by BT.601 luma, or 3), checking its
    /// size and pixel format; messages name the column and row.</summary>
    internal static byte[] PlanarBytes(MLImage? image, int channels, int height, int width, string column, long row)
    {
        if (image is null || image.Width != width || image.Height != height)
        {
            throw new InvalidDataException(
                $"Column '{column}', row {row}: image is " +
                (image is null ? "missing" : $"{image.Width}x{image.Height}") +
                $", expected {width}x{height} (width x height); resize it first (ResizeImages).");
        }

        if (image.PixelFormat is not (MLPixelFormat.Bgra32 or MLPixelFormat.Rgba32))
        {
            throw new InvalidDataException(
                $"Column '{column}', row {row}: pixel format {image.PixelFormat} is not " +
                "supported (expected Bgra32 or Rgba32).");
        }

        return Planes(image.Pixels, image.PixelFormat == MLPixelFormat.Bgra32, channels, height * width);
    }

    private static byte[] Planes(ReadOnlySpan<byte> pixels, bool bgra, int channels, int count)
    {
        var planes = new byte[channels * count];
        int red = bgra ? 2 : 0, blue = bgra ? 0 : 2;
        for (int p = 0; p < count; p++)
        {
            byte r = pixels[4 * p + red], g = pixels[4 * p + 1], b = pixels[4 * p + blue];
            if (channels == 1)
            {
                planes[p] = PixelBuffer.Luma(r, g, b);
            }
            else
            {
                planes[p] = r;
                planes[count + p] = g;
                planes[2 * count + p] = b;
            }
        }

        return planes;
    }
}
