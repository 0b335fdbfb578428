namespace GlowML.Samples.Generate;

/// <summary>Images drawn from a model, planar and back to back.</summary>
/// <param name="Pixels">[N, C, H, W] values in [0, 1].</param>
/// <param name="Count">N.</param>
/// <param name="Channels">C, 1 or 3.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
internal sealed record SampledImages(float[] Pixels, int Count, int Channels, int Height, int Width);
