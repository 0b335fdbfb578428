namespace GlowML.Data;

/// <summary>The training and validation images of one experiment; disposing it frees both tensors.</summary>
/// <param name="Train">Training images, uint8 [N, C, H, W].</param>
/// <param name="Validation">Validation images, uint8 [M, C, H, W] (the official test split, or a seeded holdout;
/// M may be 0 when validation_fraction is 0).</param>
public sealed record DataSplits(ImageSet Train, ImageSet Validation) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
