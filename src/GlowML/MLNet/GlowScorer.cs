using GlowML.Model;
using GlowML.Ood;
using static TorchSharp.torch;

namespace GlowML.MLNet;

/// <summary>
/// Batched, thread-safe scoring and sampling over a trained model, shared by the transformer, its cursors and its
/// prediction engines. Input pixels are planar [C, H, W] per image; they are turned into bin centres with
/// <see cref="Quantization.BinCentres"/> exactly as training evaluates them.
/// </summary>
internal sealed class GlowScorer : IDisposable
{
    // libtorch runs inference from several threads, but ActNorm's first-batch check and TorchSharp's per-thread
    // dispose scopes make one model at a time the simple, safe choice; batches keep the lock short per image.
    private readonly object _gate = new();

    public GlowScorer(GlowModel model, PixelRange range)
    {
        Model = model;
        Range = range;
        Model.eval();
    }

    public GlowModel Model { get; }

    public PixelRange Range { get; }

    public int Dimensions => Model.Dimensions;

    /// <summary>Scores <paramref name="count"/> images laid out back to back in <paramref name="pixels"/>; with a
    /// <paramref name="complexity"/> estimator also L(x) of the 8-bit images and S(x) = bpd - L(x).</summary>
    public GlowScores Score(ReadOnlySpan<float> pixels, int count, bool withLatent,
        IComplexityEstimator? complexity = null)
    {
        var a = Model.Architecture;
        if (pixels.Length != count * Dimensions)
        {
            throw new ArgumentException($"Expected {count} images of {a.Channels}x{a.Height}x{a.Width} = "
                + $"{Dimensions} values each ({count * Dimensions} in all), got {pixels.Length}.");
        }

        // Compression needs no model, so it runs before taking the lock, on all cores.
        var inputComplexity = complexity?.BitsPerDimension(pixels, Range == PixelRange.Bytes ? 1f : 255f, count,
            a.Channels, a.Height, a.Width);
        var copy = pixels.ToArray();
        GlowScores scores;
        lock (_gate)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(copy).reshape(count, a.Channels, a.Height, a.Width);
            if (Range == PixelRange.Bytes)
            {
                x = x / 255.0;
            }

            var encoding = Model.Encode(Quantization.BinCentres(x, a.PixelDepth));
            var logLikelihood = Quantization.DiscreteLogLikelihood(encoding.LogDensity, Dimensions, a.PixelDepth);
            var bpd = Quantization.BitsPerDim(encoding.LogDensity, Dimensions, a.PixelDepth);
            scores = new GlowScores(bpd.data<float>().ToArray(), logLikelihood.data<float>().ToArray(),
                withLatent ? encoding.FlatNoise().contiguous().data<float>().ToArray() : null);
        }

        return inputComplexity is null ? scores : scores with
        {
            Complexity = Array.ConvertAll(inputComplexity, l => (float)l),
            OodScore = OodScores.Score(scores.BitsPerDim, inputComplexity),
        };
    }

    /// <summary>Decodes flat latents [count, D] (row-major) into planar images in [0, 1].</summary>
    public float[] Decode(ReadOnlySpan<float> latents, int count, double temperature)
    {
        if (latents.Length != count * Dimensions)
        {
            throw new ArgumentException($"Expected {count} latents of {Dimensions} values, got {latents.Length}.");
        }

        var copy = latents.ToArray();
        lock (_gate)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var images = Model.Decode(tensor(copy).reshape(count, Dimensions), temperature).clamp(0, 1);
            return images.contiguous().data<float>().ToArray();
        }
    }

    /// <summary>Draws <paramref name="count"/> standard-normal latents from <paramref name="seed"/>.</summary>
    public float[] Noise(int count, int seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        return randn(new long[] { count, Dimensions }, generator: generator).data<float>().ToArray();
    }

    public void Dispose() => Model.Dispose();
}
