using GlowML.MLNet;
using GlowML.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GlowML.Tests.MLNet;

public class GlowEstimatorTests
{
    private static GlowEstimator.Options Tiny(string input = "Pixels") => new()
    {
        InputColumnName = input,
        Model = MLNetFixtures.TinyModel,
        Training = new TrainingOptions { MaxEpochs = 1, BatchSize = 32, LearningRate = 1e-3, Seed = 1, WarmupSteps = 4 },
    };

    [Fact]
    public void CifarJpegPipelineFitsScoresAndMatchesThePredictionEngine()
    {
        var ml = new MLContext(seed: 1);
        var logs = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source.StartsWith("Glow", StringComparison.Ordinal))
            {
                lock (logs)
                {
                    logs.Add(e.Message);
                }
            }
        };
        var rows = MLNetFixtures.CifarRows(30);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255f))
            .Append(ml.Transforms.Glow(Tiny()));
        var model = pipeline.Fit(data);
        Assert.Contains(logs, l => l.Contains("epoch 1 done", StringComparison.Ordinal));

        var scored = model.Transform(data);
        var bpd = MLNetFixtures.Column(scored, "BitsPerDim");
        var ll = MLNetFixtures.Column(scored, "LogLikelihood");
        Assert.Equal(rows.Length, bpd.Length);
        Assert.All(bpd, b => Assert.InRange(b, 2f, 12f));
        for (int i = 0; i < bpd.Length; i++)
        {
            double expected = -bpd[i] * 3072 * Math.Log(2);
            Assert.InRange(Math.Abs(ll[i] - expected), 0, 1e-5 * Math.Abs(expected));
        }

        using var engine = ml.Model.CreatePredictionEngine<MLNetFixtures.ImageRow, MLNetFixtures.Scores>(model);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(bpd[i], engine.Predict(rows[i]).BitsPerDim, 4);
        }
    }

    [Fact]
    public void ConcurrentPredictionEnginesOnOneTransformerAgreeWithTransform()
    {
        var ml = new MLContext(seed: 1);
        var rows = MLNetFixtures.FashionRows(200);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Glow(Tiny()).Fit(data);
        var expected = MLNetFixtures.Column(model.Transform(data), "BitsPerDim");
        var results = new float[4][];
        Parallel.For(0, 4, t =>
        {
            using var engine = ml.Model.CreatePredictionEngine<MLNetFixtures.FashionRow, MLNetFixtures.Scores>(model,
                new PredictionEngineOptions { OwnsTransformer = false });
            results[t] = rows.Take(40).Select(r => engine.Predict(r).BitsPerDim).ToArray();
        });
        foreach (var r in results)
        {
            Assert.Equal(expected.Take(40), r, new FloatComparer(1e-4f));
        }
    }

    [Fact]
    public void ChainsSaveAndLoadWithIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        var rows = MLNetFixtures.CifarRows(8);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255f))
            .Append(ml.Transforms.Glow(Tiny()))
            .Fit(data);
        var expected = MLNetFixtures.Column(model.Transform(data), "BitsPerDim");
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "chain.zip");
        ml.Model.SaveWithGlow(model, data.Schema, path);

        var fresh = new MLContext();
        var loaded = fresh.Model.LoadWithGlow(path, out var schema);
        Assert.NotNull(schema.GetColumnOrNull("ImagePath"));
        Assert.Equal(expected, MLNetFixtures.Column(loaded.Transform(fresh.Data.LoadFromEnumerable(rows)), "BitsPerDim"));
        Assert.Throws<NotSupportedException>(() => ml.Model.Save(model, data.Schema, Path.Combine(folder.Path, "x.zip")));
    }

    [Fact]
    public void TransformerSavesAloneAndLoadsFromAReleaseFile()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(MLNetFixtures.FashionRows(64));
        var options = Tiny();
        options.LatentColumnName = "Latent";
        using var transformer = ml.Transforms.Glow(options).Fit(data);
        var expected = MLNetFixtures.Column(transformer.Transform(data), "BitsPerDim");
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "glow.glow");
        transformer.Save(path);
        using var loaded = GlowTransformer.Load(path);
        Assert.Equal("Latent", loaded.Columns.Latent);
        var scored = loaded.Transform(data);
        Assert.Equal(expected, MLNetFixtures.Column(scored, "BitsPerDim"));
        var latent = scored.GetColumn<VBuffer<float>>("Latent").First();
        Assert.Equal(784, latent.Length);

        using var release = GlowTransformer.FromRelease(path);
        Assert.Equal(expected, MLNetFixtures.Column(release.Transform(data), "BitsPerDim"));
    }

    [Fact]
    public void SamplesEncodesDecodesAndInterpolates()
    {
        var ml = new MLContext(seed: 1);
        var rows = MLNetFixtures.FashionRows(64);
        using var transformer = ml.Transforms.Glow(Tiny()).Fit(ml.Data.LoadFromEnumerable(rows));
        var samples = transformer.Sample(5, 0.7, seed: 3);
        Assert.Equal(5, samples.Pixels.Length);
        Assert.All(samples.Pixels, p => Assert.Equal(784, p.Length));
        Assert.All(samples.Pixels.SelectMany(p => p), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(28, samples.Images[0].Width);
        using var folder = TestPaths.NewTempFolder();
        samples.Images[0].Save(Path.Combine(folder.Path, "sample.png"));
        Assert.True(File.Exists(Path.Combine(folder.Path, "sample.png")));
        foreach (var image in samples.Images)
        {
            image.Dispose();
        }

        var x = rows[0].Pixels;
        var reconstructed = transformer.Reconstruct(x);
        // The model sees bin centres (k + 0.5) / 256 of the bytes k = round(x * 255).
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal((MathF.Round(x[i] * 255) + 0.5f) / 256f, reconstructed[i], 3);
        }

        var path = transformer.Interpolate(rows[0].Pixels, rows[1].Pixels, 5);
        Assert.Equal(5, path.Length);
        Assert.Equal(reconstructed, path[0], new FloatComparer(1e-4f));
    }

    [Fact]
    public void AnImageColumnWorksDirectlyAndScoresLikeItsExtractedPixels()
    {
        var ml = new MLContext(seed: 1);
        var rows = MLNetFixtures.CifarRows(6);
        var data = ml.Data.LoadFromEnumerable(rows);
        var images = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255f, outputAsFloatArray: true))
            .Fit(data)
            .Transform(data);
        var model = ml.Transforms.Glow(Tiny("Image")).Fit(images);
        var fromImages = MLNetFixtures.Column(model.Transform(images), "BitsPerDim");

        // The same model reading the ExtractPixels column instead (not disposed: it shares the model).
        var pixels = GlowTransformer.FromModel(model.Model, new GlowColumns { Input = "Pixels" });
        Assert.Equal(fromImages, MLNetFixtures.Column(pixels.Transform(images), "BitsPerDim"));

        using var engine = ml.Model.CreatePredictionEngine<MLNetFixtures.ImageRow, MLNetFixtures.Scores>(
            ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: "ImagePath")
                .Append(ml.Transforms.ResizeImages("Image", 32, 32)).Fit(data).Append(model),
            new PredictionEngineOptions { OwnsTransformer = false });
        Assert.Equal(fromImages[0], engine.Predict(rows[0]).BitsPerDim, 5);
    }

    [Fact]
    public void WrongColumnsAreNamedWithTheirTypes()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(MLNetFixtures.CifarRows(1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Glow(Tiny("ImagePath")).Fit(data));
        Assert.Contains("'ImagePath'", e.Message);
        Assert.Contains("String", e.Message);

        var fashion = ml.Data.LoadFromEnumerable(MLNetFixtures.FashionRows(40));
        using var transformer = ml.Transforms.Glow(Tiny()).Fit(fashion);
        var cifar = ml.Transforms.LoadImages("Image", "", "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Fit(data)
            .Transform(data);
        var wrong = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Transform(cifar));
        Assert.Contains("'Pixels'", wrong.Message);
        Assert.Contains("1, 28, 28", wrong.Message);
    }

    private sealed class FloatComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
