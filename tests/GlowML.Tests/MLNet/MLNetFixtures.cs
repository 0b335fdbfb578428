using GlowML.Data;
using GlowML.Model;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.Tests.MLNet;

/// <summary>Real-data inputs for the ML.NET tests.</summary>
internal static class MLNetFixtures
{
    /// <summary>A row holding one Fashion-MNIST image as ExtractPixels would: planar [1, 28, 28] in [0, 1].</summary>
    public sealed class FashionRow
    {
        [VectorType(1, 28, 28)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    /// <summary>The scores a prediction engine returns.</summary>
    public sealed class Scores
    {
        public float BitsPerDim { get; set; }

        public float LogLikelihood { get; set; }
    }

    /// <summary>A row naming an image file.</summary>
    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
    }

    /// <summary>The first <paramref name="count"/> Fashion-MNIST test images as rows.</summary>
    public static FashionRow[] FashionRows(int count, int skip = 0)
    {
        using var images = IdxReader.ReadImages(Path.Combine(TestPaths.FashionMnist, "t10k-images-idx3-ubyte.gz"),
            count + skip);
        var bytes = images.Pixels.data<byte>().ToArray();
        return Enumerable.Range(skip, count)
            .Select(i => new FashionRow { Pixels = bytes.AsSpan(i * 784, 784).ToArray().Select(b => b / 255f).ToArray() })
            .ToArray();
    }

    /// <summary>JPEG paths from CIFAR-10 test: <paramref name="perClass"/> from each class folder.</summary>
    public static ImageRow[] CifarRows(int perClass) => Directory.GetDirectories(Path.Combine(TestPaths.Cifar10Jpg, "test"))
        .Order()
        .SelectMany(d => Directory.GetFiles(d, "*.jpg").Order().Take(perClass))
        .Select(p => new ImageRow { ImagePath = p })
        .ToArray();

    /// <summary>A tiny, quick-to-train model for tests.</summary>
    public static GlowArchitecture TinyModel => new() { NumBlocks = 2, NumFlows = 2, NumFilters = 16 };

    /// <summary>Every value of a float column.</summary>
    public static float[] Column(IDataView data, string name) => data.GetColumn<float>(name).ToArray();
}
