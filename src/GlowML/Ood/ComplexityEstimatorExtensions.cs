using static TorchSharp.torch;

namespace GlowML.Ood;

/// <summary>Batch helpers for <see cref="IComplexityEstimator"/>.</summary>
public static class ComplexityEstimatorExtensions
{
    /// <summary>
    /// Complexity in bits per dimension of each image of a batch, encoded in parallel.
    /// </summary>
    /// <param name="estimator">The compressor.</param>
    /// <param name="images">uint8 [B, C, H, W] on any device, the 8-bit images the model sees.</param>
    /// <returns>L(x) for each image, [B].</returns>
    public static double[] BitsPerDimension(this IComplexityEstimator estimator, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.dtype != ScalarType.Byte)
        {
            throw new ArgumentException(
                $"{estimator.Name} complexity takes uint8 images [B, C, H, W], got {images.dtype} " +
                $"[{string.Join(", ", images.shape)}].", nameof(images));
        }

        int batch = (int)images.shape[0];
        int channels = (int)images.shape[1];
        int height = (int)images.shape[2];
        int width = (int)images.shape[3];
        byte[] bytes;
        using (NewDisposeScope())
        {
            bytes = images.cpu().contiguous().data<byte>().ToArray();
        }

        return estimator.BitsPerDimension(bytes, batch, channels, height, width);
    }
}
