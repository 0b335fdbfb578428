using BenchmarkDotNet.Attributes;
using GlowML.Data;

namespace GlowML.Benchmarks;

/// <summary>
/// Data loading and batching: decoding the real files into uint8 [N, C, H, W], and one BatchLoader epoch
/// (shuffle, dequantisation noise, float conversion) over Fashion-MNIST with and without prefetch workers.
/// </summary>
public class DataLoadingBenchmarks
{
    private ImageSet? _fashion;

    /// <summary>One case per mode, named by the images read from IDX / decoded from JPEG / batched per epoch.</summary>
    public static IEnumerable<SuiteCase> Cases => SuiteSettings.Full
        ? new[] { new SuiteCase("60k/2k/10k", null, 0) }
        : new[] { new SuiteCase("5k/200/1k", null, 0) };

    /// <summary>The case being measured (its image counts depend on the benchmark, see <see cref="ImagesOf"/>).
    /// </summary>
    [ParamsSource(nameof(Cases))]
    public SuiteCase Case { get; set; } = null!;

    private static int IdxImages => ImagesOf(nameof(ReadFashionMnistIdx));

    private static int JpegImages => ImagesOf(nameof(ReadCifarJpeg));

    private static int EpochImages => ImagesOf(nameof(BatchEpochInline));

    /// <summary>Images one invocation of <paramref name="benchmark"/> handles in the current mode.</summary>
    public static int ImagesOf(string benchmark) => benchmark switch
    {
        nameof(ReadFashionMnistIdx) => SuiteSettings.Full ? 60000 : 5000,
        nameof(ReadCifarJpeg) => SuiteSettings.Full ? 2000 : 200,
        _ => SuiteSettings.Full ? 10000 : 1000,
    };

    /// <summary>Reads the Fashion-MNIST images the epochs run over.</summary>
    [GlobalSetup]
    public void Setup()
    {
        SuiteSettings.ApplyTorchThreads();
        _fashion = IdxReader.ReadImages(BenchmarkData.FashionMnistImages, EpochImages);
    }

    /// <summary>Decompresses and parses Fashion-MNIST's gzip IDX training images.</summary>
    [Benchmark]
    public long ReadFashionMnistIdx()
    {
        using var images = IdxReader.ReadImages(BenchmarkData.FashionMnistImages, IdxImages);
        return images.Count;
    }

    /// <summary>Decodes a seeded random pick of CIFAR-10 JPEGs with SkiaSharp.</summary>
    [Benchmark]
    public long ReadCifarJpeg()
    {
        using var images = ImageFolderReader.Read(BenchmarkData.CifarFolder,
            new ImageFolderOptions { MaxImages = JpegImages, Seed = 0 });
        return images.Count;
    }

    /// <summary>One shuffled epoch of noisy float batches of 64, prepared on the consuming thread.</summary>
    [Benchmark]
    public long BatchEpochInline() => RunEpoch(workers: 0);

    /// <summary>One shuffled epoch of noisy float batches of 64, prefetched by two workers.</summary>
    [Benchmark]
    public long BatchEpochTwoWorkers() => RunEpoch(workers: 2);

    /// <summary>Releases the images.</summary>
    [GlobalCleanup]
    public void Cleanup() => _fashion?.Dispose();

    private long RunEpoch(int workers)
    {
        var loader = new BatchLoader(_fashion!, new BatchLoaderOptions
        {
            BatchSize = 64,
            Shuffle = true,
            Seed = 1,
            Mode = Dequantization.Noise,
            NumWorkers = workers,
        });
        long images = 0;
        foreach (var batch in loader.Epoch(1))
        {
            images += batch.shape[0];
            batch.Dispose();
        }

        return images;
    }
}
