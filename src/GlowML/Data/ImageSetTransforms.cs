using TorchSharp;
using static TorchSharp.torch;

namespace GlowML.Data;

/// <summary>Whole-set operations the loader applies to tensor-backed sources (IDX, CIFAR-10): channel conversion,
/// size fitting, seeded picks. Each returns a new set and disposes the one it was given.</summary>
internal static class ImageSetTransforms
{
    /// <summary>Brings <paramref name="set"/> to the configured channels and size, or throws naming the source.
    /// </summary>
    public static ImageSet Conform(ImageSet set, DataOptions options)
    {
        if (options.Channels is { } channels && channels != set.Channels)
        {
            if (!options.ConvertColor)
            {
                var kind = set.Channels == 1 ? "grey (1 channel)" : $"{set.Channels}-channel";
                throw new InvalidDataException(
                    $"'{set.Source}' holds {kind} images but data.channels is {channels}; set data.convert_color to " +
                    "convert them.");
            }

            set = Replace(set, ConvertChannels(set.Pixels, channels));
        }

        if (options.TargetSize is not { } size || (size.Height == set.Height && size.Width == set.Width))
        {
            return set;
        }

        var (height, width) = size;
        switch (options.Resize)
        {
            case ResizeMode.CenterCrop when set.Height >= height && set.Width >= width:
                int top = (set.Height - height) / 2, left = (set.Width - width) / 2;
                using (var scope = NewDisposeScope())
                {
                    var cropped = set.Pixels[.., .., top..(top + height), left..(left + width)].contiguous();
                    return Replace(set, cropped.MoveToOuterDisposeScope());
                }

            case ResizeMode.Resize:
                using (var scope = NewDisposeScope())
                {
                    var x = set.Pixels.to(ScalarType.Float32);
                    var scaled = nn.functional.interpolate(x, new long[] { height, width },
                        mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
                    var bytes = scaled.round().clamp(0, 255).to(ScalarType.Byte);
                    return Replace(set, bytes.MoveToOuterDisposeScope());
                }

            default:
                throw new InvalidDataException(
                    $"'{set.Source}' holds {set.Width}x{set.Height} (width x height) images but the configured size " +
                    $"is {width}x{height}; set data.resize to resize or center-crop" +
                    (options.Resize == ResizeMode.CenterCrop ? " (a centre crop cannot enlarge)." : "."));
        }
    }

    /// <summary>Grey to RGB repeats the plane; RGB to grey uses BT.601 luma with the same integer rounding as the
    /// image folder reader. uint8 [N, C, H, W] -> uint8 [N, channels, H, W].</summary>
    public static Tensor ConvertChannels(Tensor pixels, int channels)
    {
        using var scope = NewDisposeScope();
        if (channels == 3)
        {
            return pixels.expand(-1, 3, -1, -1).contiguous().MoveToOuterDisposeScope();
        }

        var wide = pixels.to(ScalarType.Int32);
        var luma = (wide[.., 0..1] * 299 + wide[.., 1..2] * 587 + wide[.., 2..3] * 114 + 500)
            .div(1000, rounding_mode: RoundingMode.floor);
        return luma.to(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>A seeded random subset of <paramref name="count"/> images kept in stored order, or the set itself
    /// when it is not larger.</summary>
    public static ImageSet Pick(ImageSet set, long? count, int seed, int stream)
    {
        if (count is not { } n || n >= set.Count)
        {
            return set;
        }

        var (picked, _) = Partition(set.Count, n, seed, stream);
        return Replace(set, null, picked);
    }

    /// <summary>A seeded holdout: (train, validation) with round(N * fraction) validation images (at least one
    /// when the fraction is positive and N &gt; 1), both in stored order.</summary>
    public static (ImageSet Train, ImageSet Validation) Holdout(ImageSet set, double fraction, int seed)
    {
        long validation = (long)Math.Round(set.Count * fraction);
        if (fraction > 0 && validation == 0 && set.Count > 1)
        {
            validation = 1;
        }

        var (held, rest) = Partition(set.Count, validation, seed, stream: 1);
        var result = (set.Subset(rest), set.Subset(held));
        set.Dispose();
        return result;
    }

    private static (long[] Head, long[] Tail) Partition(long total, long first, int seed, int stream)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(SeedMixer.Mix(seed, stream, -2));
        var order = randperm(total, generator: generator);
        var head = order[..(int)first].sort().Values.data<long>().ToArray();
        var tail = order[(int)first..].sort().Values.data<long>().ToArray();
        return (head, tail);
    }

    private static ImageSet Replace(ImageSet set, Tensor? pixels, long[]? indices = null)
    {
        var result = indices is null ? new ImageSet(pixels!, set.Labels, set.Source) : set.Subset(indices);
        set.Dispose();
        return result;
    }
}
