using GlowML.Data;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Data;

public class BatchLoaderTests
{
    /// <summary>N images of 1x2x3 whose first pixel is the image index, so batches reveal the order.</summary>
    private static ImageSet Indexed(int n)
    {
        var bytes = new byte[n * 6];
        for (int i = 0; i < n; i++)
        {
            bytes[i * 6] = (byte)i;
            for (int p = 1; p < 6; p++)
            {
                bytes[i * 6 + p] = (byte)(i * 13 + p * 40);
            }
        }

        return new ImageSet(tensor(bytes).reshape(n, 1, 2, 3));
    }

    private static List<long> OrderOf(BatchLoader loader, int epoch)
    {
        var order = new List<long>();
        foreach (var batch in loader.Epoch(epoch))
        {
            using (batch)
            {
                // Centre mode at depth 8: x = (k + 0.5) / 256 exactly recovers k.
                var first = (batch[.., 0, 0, 0] * 256 - 0.5).round().to(ScalarType.Int64);
                order.AddRange(first.data<long>().ToArray());
            }
        }

        return order;
    }

    [Fact]
    public void EpochsDifferButRepeatForTheSameSeedAndCoverEveryImageOnce()
    {
        using var images = Indexed(50);
        var options = new BatchLoaderOptions { BatchSize = 8, Seed = 3, Mode = Dequantization.Center };
        var loader = new BatchLoader(images, options);
        var e0 = OrderOf(loader, 0);
        var e1 = OrderOf(loader, 1);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), e0.Order());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), e1.Order());
        Assert.NotEqual(e0, e1);
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), e0);

        // A new loader (as after a resume) replays epoch 1 exactly; another seed does not.
        Assert.Equal(e1, OrderOf(new BatchLoader(images, options), 1));
        Assert.NotEqual(e1, OrderOf(new BatchLoader(images, options with { Seed = 4 }), 1));

        var plain = new BatchLoader(images, options with { Shuffle = false });
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), OrderOf(plain, 5));
    }

    [Theory]
    [InlineData(false, 7, new[] { 8, 8, 8, 8, 8, 8, 2 })]
    [InlineData(true, 6, new[] { 8, 8, 8, 8, 8, 8 })]
    public void DropLastCounts(bool dropLast, int batches, int[] sizes)
    {
        using var images = Indexed(50);
        var loader = new BatchLoader(images, new BatchLoaderOptions { BatchSize = 8, DropLast = dropLast });
        Assert.Equal(batches, loader.BatchesPerEpoch);
        var seen = new List<int>();
        foreach (var batch in loader.Epoch(0))
        {
            using (batch)
            {
                Assert.Equal(ScalarType.Float32, batch.dtype);
                Assert.Equal(new long[] { 1, 2, 3 }, batch.shape.Skip(1));
                seen.Add((int)batch.shape[0]);
            }
        }

        Assert.Equal(sizes, seen);
    }

    [Fact]
    public void WorkersGiveIdenticalBatchesToOnDemand()
    {
        using var images = Indexed(40);
        var options = new BatchLoaderOptions { BatchSize = 6, Seed = 9, HorizontalFlip = true };
        float[][] Run(int workers) => new BatchLoader(images, options with { NumWorkers = workers }).Epoch(2)
            .Select(b =>
            {
                using (b)
                {
                    return b.data<float>().ToArray();
                }
            }).ToArray();

        var zero = Run(0);
        var two = Run(2);
        Assert.Equal(7, zero.Length);
        Assert.Equal(zero.Length, two.Length);
        for (int b = 0; b < zero.Length; b++)
        {
            Assert.Equal(zero[b], two[b]);
        }
    }

    [Fact]
    public void StoppingEarlyWithWorkersReturnsAndTheNextEpochIsComplete()
    {
        using var images = Indexed(40);
        var loader = new BatchLoader(images, new BatchLoaderOptions { BatchSize = 4, NumWorkers = 2 });
        foreach (var batch in loader.Epoch(0).Take(2))
        {
            batch.Dispose();
        }

        // The abandoned prefetches are drained in the iterator's finally; the loader keeps working.
        int count = 0;
        foreach (var batch in loader.Epoch(1))
        {
            batch.Dispose();
            count++;
        }

        Assert.Equal(10, count);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(5)]
    [InlineData(3)]
    [InlineData(1)]
    public void PixelDepthFloorsAndDequantisationStaysInsideTheBin(int depth)
    {
        using var scope = NewDisposeScope();
        var all = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        using var images = new ImageSet(tensor(all).reshape(4, 1, 8, 8));
        int levels = 1 << depth;
        var k = all.Select(v => (float)(v >> (8 - depth))).ToArray();

        var centre = new BatchLoader(images, new BatchLoaderOptions
        {
            BatchSize = 4, Shuffle = false, PixelDepth = depth, Mode = Dequantization.Center,
        }).Epoch(0).Single();
        Assert.Equal(k.Select(v => (v + 0.5f) / levels), centre.data<float>().ToArray());
        Assert.Equal(centre.data<float>().ToArray(),
            BatchLoader.ToFloat(images.Pixels, depth).data<float>().ToArray());

        var noisy = new BatchLoader(images, new BatchLoaderOptions
        {
            BatchSize = 4, Shuffle = false, PixelDepth = depth, Seed = 1,
        }).Epoch(0).Single().data<float>().ToArray();
        var u = noisy.Select((x, i) => x * levels - k[i]).ToArray();
        Assert.All(u, v => Assert.InRange(v, 0f, 1f));
        // Real noise, not a constant: spread over the bin with mean near 1/2.
        Assert.InRange(u.Average(), 0.4, 0.6);
        Assert.True(u.Max() - u.Min() > 0.9, $"noise range {u.Min()}..{u.Max()}");
    }

    [Fact]
    public void FlipsMirrorAboutHalfTheImagesAndKeepTheOthers()
    {
        using var scope = NewDisposeScope();
        int n = 200;
        var bytes = new byte[n * 3];
        for (int i = 0; i < n; i++)
        {
            bytes[i * 3] = 10;
            bytes[i * 3 + 1] = 20;
            bytes[i * 3 + 2] = 30;
        }

        using var images = new ImageSet(tensor(bytes).reshape(n, 1, 1, 3));
        var batch = new BatchLoader(images, new BatchLoaderOptions
        {
            BatchSize = n, HorizontalFlip = true, Mode = Dequantization.Center,
        }).Epoch(0).Single();
        var rows = (batch * 256 - 0.5).round().to(ScalarType.Int32).reshape(n, 3);
        int flipped = 0;
        for (int i = 0; i < n; i++)
        {
            var row = rows[i].data<int>().ToArray();
            if (row[0] == 30)
            {
                Assert.Equal(new[] { 30, 20, 10 }, row);
                flipped++;
            }
            else
            {
                Assert.Equal(new[] { 10, 20, 30 }, row);
            }
        }

        Assert.InRange(flipped, 70, 130);
    }

    [Fact]
    public void OptionsOutOfRangeAreRefusedByName()
    {
        using var images = Indexed(4);
        var e = Assert.Throws<ArgumentException>(() =>
            new BatchLoader(images, new BatchLoaderOptions { PixelDepth = 9 }));
        Assert.Contains("PixelDepth", e.Message);
        Assert.Throws<ArgumentException>(() => new BatchLoader(images, new BatchLoaderOptions { BatchSize = 0 }));
    }
}
