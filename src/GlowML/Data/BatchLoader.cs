using GlowML.Model;
using static TorchSharp.torch;

namespace GlowML.Data;

/// <summary>
/// Cuts an <see cref="ImageSet"/> (uint8 [N, C, H, W]) into float32 batches [B, C, H, W] in [0, 1]:
/// x = (k + u) / 2^pixel_depth, with k the byte floored to pixel_depth bits and u ~ U(0, 1) or 1/2.
/// <para>
/// Unlike TorchSharp's DataLoader (which repeats one order every epoch), the order is a fresh permutation per
/// epoch drawn from (Seed, epoch) alone, so a resumed run at epoch e sees the batches it would have seen. Noise and
/// flips are drawn from (Seed, epoch, batch index), so batches are identical whatever <see
/// cref="BatchLoaderOptions.NumWorkers"/> is.
/// </para>
/// <para>The consumer owns each yielded batch: it is detached from every dispose scope, so dispose it (for example
/// with <c>using var x = batch;</c>) once the step is done.</para>
/// </summary>
public sealed class BatchLoader
{
    private readonly ImageSet _images;
    private readonly BatchLoaderOptions _options;

    /// <summary>Creates a loader over <paramref name="images"/>, which it reads but does not own.</summary>
    public BatchLoader(ImageSet images, BatchLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _images = images;
        _options = options;
    }

    /// <summary>Batches in one epoch (the last one may be smaller unless DropLast).</summary>
    public int BatchesPerEpoch => checked((int)(_options.DropLast
        ? _images.Count / _options.BatchSize
        : (_images.Count + _options.BatchSize - 1) / _options.BatchSize));

    /// <summary>The batches of epoch <paramref name="epoch"/>, float32 [B, C, H, W] in [0, 1], each owned by the
    /// caller. With NumWorkers &gt; 0 up to 2 * NumWorkers batches are prepared ahead on background threads.</summary>
    public IEnumerable<Tensor> Epoch(int epoch)
    {
        var order = Order(epoch);
        return _options.NumWorkers == 0 ? OnDemand(order, epoch) : Prefetched(order, epoch);
    }

    /// <summary>The bin-centre float input of a uint8 batch: ((byte &gt;&gt; (8 - depth)) + 1/2) / 2^depth,
    /// [B, C, H, W] -> float32 [B, C, H, W]. Scoring code uses this so it preprocesses exactly as evaluation does.
    /// </summary>
    public static Tensor ToFloat(Tensor uint8Batch, int pixelDepth)
    {
        ArgumentNullException.ThrowIfNull(uint8Batch);
        CheckDepth(pixelDepth);
        using var scope = NewDisposeScope();
        return (Levels(uint8Batch, pixelDepth) + 0.5f).div_(Quantization.Levels(pixelDepth))
            .MoveToOuterDisposeScope();
    }

    private static void CheckDepth(int pixelDepth)
    {
        if (pixelDepth is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(pixelDepth), pixelDepth, "pixel depth must be 1..8");
        }
    }

    /// <summary>k = byte floored to pixel_depth bits, as float32.</summary>
    private static Tensor Levels(Tensor bytes, int pixelDepth)
    {
        if (bytes.dtype != ScalarType.Byte)
        {
            throw new ArgumentException($"Expected a uint8 batch, got {bytes.dtype}.", nameof(bytes));
        }

        var levels = pixelDepth == 8 ? bytes : bytes.bitwise_right_shift(8 - pixelDepth);
        return levels.to(ScalarType.Float32);
    }

    private long[] Order(int epoch)
    {
        long n = _images.Count;
        if (!_options.Shuffle)
        {
            var identity = new long[n];
            for (long i = 0; i < n; i++)
            {
                identity[i] = i;
            }

            return identity;
        }

        using var scope = NewDisposeScope();
        using var generator = new Generator(SeedMixer.Mix(_options.Seed, epoch, -1));
        return randperm(n, generator: generator).data<long>().ToArray();
    }

    private IEnumerable<Tensor> OnDemand(long[] order, int epoch)
    {
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            yield return MakeBatch(order, epoch, b);
        }
    }

    private IEnumerable<Tensor> Prefetched(long[] order, int epoch)
    {
        int count = BatchesPerEpoch;
        int ahead = 2 * _options.NumWorkers;
        var pending = new Queue<Task<Tensor>>();
        int next = 0;
        try
        {
            for (int b = 0; b < count; b++)
            {
                while (next < count && pending.Count < ahead)
                {
                    int index = next++;
                    pending.Enqueue(Task.Run(() => MakeBatch(order, epoch, index)));
                }

                // GetResult rethrows the worker's own exception rather than an AggregateException.
                yield return pending.Dequeue().GetAwaiter().GetResult();
            }
        }
        finally
        {
            // The consumer stopped early (or a worker failed): finish and free the batches nobody will take.
            while (pending.Count > 0)
            {
                var task = pending.Dequeue();
                try
                {
                    task.GetAwaiter().GetResult().Dispose();
                }
                catch (Exception)
                {
                    // Already failing or abandoned: the first failure is the one that propagates.
                }
            }
        }
    }

    /// <summary>Batch <paramref name="b"/> of the epoch, made in its own dispose scope and detached from it, since
    /// scopes are per thread and this may run on a worker.</summary>
    private Tensor MakeBatch(long[] order, int epoch, int b)
    {
        using var scope = NewDisposeScope();
        int start = b * _options.BatchSize;
        int size = (int)Math.Min(_options.BatchSize, order.LongLength - start);
        var indices = tensor(order.AsSpan(start, size).ToArray());
        var bytes = _images.Pixels.index_select(0, indices);
        using var generator = new Generator(SeedMixer.Mix(_options.Seed, epoch, b));

        var x = Levels(bytes, _options.PixelDepth);
        if (_options.Mode == Dequantization.Noise)
        {
            x.add_(rand(x.shape, generator: generator));
        }
        else
        {
            x.add_(0.5f);
        }

        x.div_(Quantization.Levels(_options.PixelDepth));
        if (_options.HorizontalFlip)
        {
            var flip = rand(new long[] { size, 1, 1, 1 }, generator: generator).lt(0.5);
            x = where(flip, x.flip(3), x);
        }

        return x.DetachFromDisposeScope();
    }
}
