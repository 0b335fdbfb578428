using GlowML.Data;
using GlowML.MLNet;
using GlowML.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.Tests.MLNet;

/// <summary>
/// One tiny Glow fitted through ML.NET on 256 Fashion-MNIST training images with the Complexity and OodScore
/// columns, shared by the OOD-column tests; plus 64 Fashion-MNIST test and 64 MNIST images to score.
/// </summary>
public sealed class OodColumnsFixture : IDisposable
{
    public OodColumnsFixture()
    {
        Context = new MLContext(seed: 1);
        var train = Rows(Path.Combine(TestPaths.FashionMnist, "train-images-idx3-ubyte.gz"), 256);
        var options = new GlowEstimator.Options
        {
            Model = MLNetFixtures.TinyModel,
            Training = new TrainingOptions
            {
                MaxEpochs = 3, BatchSize = 32, LearningRate = 2e-3, Seed = 1, WarmupSteps = 4,
            },
            ComplexityColumnName = "Complexity",
            OodScoreColumnName = "OodScore",
            ScoringBatchSize = 24,
        };
        Transformer = Context.Transforms.Glow(options).Fit(Context.Data.LoadFromEnumerable(train));
        Fashion = Rows(Path.Combine(TestPaths.FashionMnist, "t10k-images-idx3-ubyte.gz"), 64);
        Mnist = Rows(Path.Combine(TestPaths.Mnist, "t10k-images-idx3-ubyte.gz"), 64);
    }

    /// <summary>One 28x28 grey image as ExtractPixels with scale 1/255 would give it: planar [1, 28, 28].</summary>
    public sealed class PixelRow
    {
        [VectorType(1, 28, 28)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    public MLContext Context { get; }

    /// <summary>Adds BitsPerDim, LogLikelihood, Complexity (png) and OodScore; scores 24 rows per batch.</summary>
    public GlowTransformer Transformer { get; }

    /// <summary>The first 64 Fashion-MNIST test images.</summary>
    public PixelRow[] Fashion { get; }

    /// <summary>The first 64 MNIST test images (out of distribution for the model).</summary>
    public PixelRow[] Mnist { get; }

    /// <summary>The first <paramref name="count"/> images of an IDX file as rows of value / 255 pixels.</summary>
    public static PixelRow[] Rows(string path, int count)
    {
        using var images = IdxReader.ReadImages(path, count);
        var bytes = images.Pixels.data<byte>().ToArray();
        return Enumerable.Range(0, count)
            .Select(i => new PixelRow
            {
                Pixels = bytes.AsSpan(i * 784, 784).ToArray().Select(b => b / 255f).ToArray(),
            })
            .ToArray();
    }

    public void Dispose() => Transformer.Dispose();
}
