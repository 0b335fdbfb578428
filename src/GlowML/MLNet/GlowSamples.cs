using Microsoft.ML.Data;

namespace GlowML.MLNet;

/// <summary>Images drawn from a Glow model.</summary>
/// <param name="Pixels">One planar [C, H, W] float array per image, values in [0, 1].</param>
/// <param name="Images">The same images as <see cref="MLImage"/> (RGBA; save with <c>Save("x.png")</c>). The caller
/// disposes them.</param>
public sealed record GlowSamples(float[][] Pixels, MLImage[] Images);
