using GlowML.Data;
using static TorchSharp.torch;

namespace GlowML.Ood;

/// <summary>
/// The synthetic out-of-distribution sets of Serra et al. (ICLR 2020), made at the model's image shape:
/// <c>constant</c> (each image one uniform colour) and <c>noise</c> (every pixel uniform random). Both are
/// reproducible from the seed.
/// </summary>
public static class SyntheticOutSets
{
    /// <summary>Name of the constant-colour set.</summary>
    public const string ConstantName = "constant";

    /// <summary>Name of the uniform-noise set.</summary>
    public const string NoiseName = "noise";

    /// <summary>Valid names for <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [ConstantName, NoiseName];

    /// <summary>
    /// <paramref name="count"/> images uint8 [N, C, H, W], each filled with one colour whose channel values are
    /// uniform in [0, 255].
    /// </summary>
    public static ImageSet Constant(int count, int channels, int height, int width, long seed)
    {
        CheckShape(count, channels, height, width);
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var colours = randint(0, 256, [count, channels, 1, 1], ScalarType.Int64, generator: generator);
        var pixels = colours.to(ScalarType.Byte).expand(count, channels, height, width).contiguous();
        return new ImageSet(pixels.MoveToOuterDisposeScope(), source: ConstantName);
    }

    /// <summary><paramref name="count"/> images uint8 [N, C, H, W] whose pixels are independent and uniform in
    /// [0, 255].</summary>
    public static ImageSet Noise(int count, int channels, int height, int width, long seed)
    {
        CheckShape(count, channels, height, width);
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var pixels = randint(0, 256, [count, channels, height, width], ScalarType.Int64, generator: generator);
        return new ImageSet(pixels.to(ScalarType.Byte).MoveToOuterDisposeScope(), source: NoiseName);
    }

    /// <summary>The set called <paramref name="name"/> (<c>constant</c> or <c>noise</c>, case-insensitive), or
    /// null when the name is not a synthetic set (so a caller can treat it as a data set path).</summary>
    public static ImageSet? Create(string name, int count, int channels, int height, int width, long seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            ConstantName => Constant(count, channels, height, width, seed),
            NoiseName => Noise(count, channels, height, width, seed),
            _ => null,
        };
    }

    private static void CheckShape(int count, int channels, int height, int width)
    {
        if (count <= 0 || channels <= 0 || height <= 0 || width <= 0)
        {
            throw new ArgumentException(
                $"A synthetic out-set needs a positive count and shape, got count {count} and [C, H, W] = " +
                $"[{channels}, {height}, {width}].");
        }
    }
}
