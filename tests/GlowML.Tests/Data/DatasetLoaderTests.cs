using System.Text.Json;
using GlowML.Data;
using GlowML.Model;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Data;

public class DatasetLoaderTests
{
    /// <summary>First pixels of each image: distinct for up to 256 images of TestFiles.IdxImages.</summary>
    private static long[] FirstPixels(ImageSet set) =>
        set.Pixels[.., 0, 0, 0].to(ScalarType.Int64).data<long>().ToArray();

    [Fact]
    public void HoldoutSplitIsSeededDisjointAndComplete()
    {
        using var files = new TestFiles();
        File.WriteAllBytes(files.PathOf("train-images-idx3-ubyte"), TestFiles.IdxImages(50, 2, 2));
        var options = new DataOptions
        {
            Dataset = DatasetKind.Idx, TrainImages = "train-images-idx3-ubyte", ValidationFraction = 0.2, Seed = 4,
        };

        var log = new List<string>();
        using var splits = DatasetLoader.Load(options, files.Root, log.Add);
        Assert.Equal(40, splits.Train.Count);
        Assert.Equal(10, splits.Validation.Count);
        var train = FirstPixels(splits.Train);
        var validation = FirstPixels(splits.Validation);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)(i * 31 % 256)).Order(),
            train.Concat(validation).Order());
        Assert.Contains(log, l => l.Contains("holding out"));

        using var same = DatasetLoader.Load(options, files.Root);
        Assert.Equal(validation, FirstPixels(same.Validation));
        using var other = DatasetLoader.Load(options with { Seed = 5 }, files.Root);
        Assert.NotEqual(validation, FirstPixels(other.Validation));

        using var capped = DatasetLoader.Load(options with { MaxTrainImages = 7, MaxValidationImages = 3 }, files.Root);
        Assert.Equal(7, capped.Train.Count);
        Assert.Equal(3, capped.Validation.Count);
        Assert.Empty(FirstPixels(capped.Train).Except(train));
    }

    [Fact]
    public void RealFashionMnistUsesTheTestSplitAndDropsItsGeneratedLabels()
    {
        var log = new List<string>();
        var options = new DataOptions
        {
            Dataset = DatasetKind.FashionMnist, MaxTrainImages = 100, MaxValidationImages = 50,
        };
        using var splits = DatasetLoader.Load(options, TestFiles.SharedData, log.Add);
        Assert.Equal(new long[] { 100, 1, 28, 28 }, splits.Train.Pixels.shape);
        Assert.Equal(new long[] { 50, 1, 28, 28 }, splits.Validation.Pixels.shape);
        Assert.Null(splits.Train.Labels);
        Assert.Contains(log, l => l.Contains("train-labels-idx1-ubyte.gz") && l.Contains("period 10"));
        Assert.DoesNotContain(log, l => l.Contains("holding out"));
    }

    [Fact]
    public void RealMnistHasOnlyTheTestFileAndSaysHowToUseIt()
    {
        var e = Assert.Throws<FileNotFoundException>(() =>
            DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.Mnist }, TestFiles.SharedData).Dispose());
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("dataset idx with train_images t10k-images-idx3-ubyte", e.Message);

        var log = new List<string>();
        var options = new DataOptions
        {
            Dataset = DatasetKind.Idx, Path = "mnist", TrainImages = "t10k-images-idx3-ubyte",
            MaxTrainImages = 30, MaxValidationImages = 10,
        };
        using var splits = DatasetLoader.Load(options, TestFiles.SharedData, log.Add);
        Assert.Equal(30, splits.Train.Count);
        Assert.Equal(10, splits.Validation.Count);
        Assert.Contains(log, l => l.Contains("t10k-labels-idx1-ubyte.gz") && l.Contains("compress"));
    }

    [Fact]
    public void MissingDataUsesTheConfigsSpellingNamesTheFolderAndSaysHowToPointAtIt()
    {
        using var files = new TestFiles();
        var e = Assert.Throws<FileNotFoundException>(() =>
            DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.FashionMnist }, files.Root).Dispose());
        Assert.StartsWith("fashion-mnist training images not found", e.Message);
        Assert.DoesNotContain("FashionMnist", e.Message);
        Assert.Contains($"'{Path.Combine(files.Root, "fashion-mnist")}'", e.Message);
        Assert.Contains("--data-path", e.Message);
        Assert.Contains("data.path", e.Message);

        // A relative data path is shown as the absolute folder searched.
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, files.Root);
        var fromRelative = Assert.Throws<FileNotFoundException>(() =>
            DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.FashionMnist, Path = "fm" }, relative)
                .Dispose());
        Assert.Contains($"'{Path.Combine(files.Root, "fm")}'", fromRelative.Message);
        Assert.Contains("data.path 'fm'", fromRelative.Message);
    }

    [Fact]
    public void PlausibleLabelsAreKeptAndMismatchedCountsRefused()
    {
        using var files = new TestFiles();
        File.WriteAllBytes(files.PathOf("train-images-idx3-ubyte"), TestFiles.IdxImages(200, 2, 2));
        var random = new Random(1);
        var labels = Enumerable.Range(0, 200).Select(_ => (byte)random.Next(10)).ToArray();
        File.WriteAllBytes(files.PathOf("train-labels-idx1-ubyte.gz"), TestFiles.Gzip(TestFiles.IdxLabels(labels)));
        var options = new DataOptions { Dataset = DatasetKind.Idx, TrainImages = "train-images-idx3-ubyte" };
        using (var splits = DatasetLoader.Load(options, files.Root))
        {
            Assert.NotNull(splits.Train.Labels);
            Assert.Equal(180, splits.Train.Labels!.Length);
        }

        File.WriteAllBytes(files.PathOf("train-labels-idx1-ubyte.gz"), TestFiles.Gzip(TestFiles.IdxLabels([1, 2])));
        var e = Assert.Throws<DataFileException>(() => DatasetLoader.Load(options, files.Root).Dispose());
        Assert.Contains("train-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("2 labels", e.Message);
    }

    [Fact]
    public void LabelAuditFlagsRulesButNotAnnotations()
    {
        var random = new Random(3);
        Assert.Null(LabelAudit.Suspicion(Enumerable.Range(0, 5000).Select(_ => (long)random.Next(10)).ToArray()));
        Assert.Null(LabelAudit.Suspicion(Enumerable.Range(0, 5000).Select(i => (long)(i / 500)).ToArray()));
        Assert.Contains("period 10", LabelAudit.Suspicion(Enumerable.Range(0, 5000).Select(i => (long)(i % 10))
            .ToArray()));
        var fromMnist = IdxReader.ReadLabels(Path.Combine(TestFiles.SharedData, "mnist", "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal(10000, fromMnist.Length);
        Assert.Contains("compress", LabelAudit.Suspicion(fromMnist));
    }

    [Fact]
    public void GreyIdxBecomesRgbOnlyWhenConversionIsOnAndSizeIsFitted()
    {
        using var files = new TestFiles();
        File.WriteAllBytes(files.PathOf("a-images-idx3-ubyte"), TestFiles.IdxImages(20, 4, 4));
        var options = new DataOptions
        {
            Dataset = DatasetKind.Idx, TrainImages = "a-images-idx3-ubyte", Channels = 3, ValidationFraction = 0,
        };
        var e = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(options, files.Root).Dispose());
        Assert.Contains("a-images-idx3-ubyte", e.Message);
        Assert.Contains("convert_color", e.Message);

        using var rgb = DatasetLoader.Load(options with { ConvertColor = true, ImageSize = 2,
            Resize = ResizeMode.CenterCrop }, files.Root);
        Assert.Equal(new long[] { 20, 3, 2, 2 }, rgb.Train.Pixels.shape);
        Assert.Equal(0, rgb.Validation.Count);
        // Centre crop of a 4x4 image starts at (1, 1): pixel index 5.
        Assert.Equal(TestFiles.Pattern(0, 5), rgb.Train.Pixels[0, 2, 0, 0].item<byte>());

        var size = Assert.Throws<InvalidDataException>(() =>
            DatasetLoader.Load(options with { Channels = null, ImageSize = 3 }, files.Root).Dispose());
        Assert.Contains("4x4", size.Message);
        using var resized = DatasetLoader.Load(options with { Channels = null, ImageSize = 3,
            Resize = ResizeMode.Resize }, files.Root);
        Assert.Equal(new long[] { 20, 1, 3, 3 }, resized.Train.Pixels.shape);
    }

    [Fact]
    public void ImageFoldersUseTheTestFolderWithTrainClassesOrHoldOut()
    {
        using var files = new TestFiles();
        foreach (var split in new[] { "train", "test" })
        {
            foreach (var label in new[] { "cat", "dog" })
            {
                for (int i = 0; i < 5; i++)
                {
                    TestImages.Write(files.PathOf($"pets/{split}/{label}/{i}.png"), 6, 6, SKEncodedImageFormat.Png,
                        seed: i);
                }
            }
        }

        Directory.Delete(files.PathOf("pets/test/cat"), recursive: true);
        var options = new DataOptions
        {
            Dataset = DatasetKind.ImageFolder, Path = "pets", TrainFolder = "train", TestFolder = "test",
            ImageSize = 4, Resize = ResizeMode.CenterCrop,
        };
        using (var splits = DatasetLoader.Load(options, files.Root))
        {
            Assert.Equal(new long[] { 10, 3, 4, 4 }, splits.Train.Pixels.shape);
            Assert.Equal(new long[] { 5, 3, 4, 4 }, splits.Validation.Pixels.shape);
            Assert.All(splits.Validation.Labels!, l => Assert.Equal(1, l));
        }

        using var held = DatasetLoader.Load(options with { TestFolder = null, ValidationFraction = 0.2 }, files.Root);
        Assert.Equal(8, held.Train.Count);
        Assert.Equal(2, held.Validation.Count);
    }

    [Fact]
    public void OptionsRoundTripThroughJsonAndValidateByField()
    {
        var options = new DataOptions
        {
            Dataset = DatasetKind.FashionMnist, Resize = ResizeMode.CenterCrop, ImageSize = 24, Channels = 1,
            MaxTrainImages = 1000,
        };
        var json = JsonSerializer.Serialize(options, GlowJson.Options);
        Assert.Contains("\"dataset\": \"fashion-mnist\"", json);
        Assert.Contains("\"resize\": \"center-crop\"", json);
        Assert.Contains("\"validation_fraction\": 0.1", json);
        Assert.Contains("\"max_train_images\": 1000", json);
        Assert.DoesNotContain("resolved", json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(options, JsonSerializer.Deserialize<DataOptions>(json, GlowJson.Options));
        Assert.Equal(DatasetKind.ImageFolder,
            JsonSerializer.Deserialize<DataOptions>("{\"dataset\": \"image-folder\"}", GlowJson.Options)!.Dataset);

        void Refused(DataOptions bad, string field) =>
            Assert.Contains(field, Assert.Throws<ArgumentException>(bad.Validate).Message);
        Refused(new DataOptions { Channels = 2 }, "channels");
        Refused(new DataOptions { ValidationFraction = 0.7 }, "validation_fraction");
        Refused(new DataOptions { Dataset = DatasetKind.Idx }, "train_images");
        Refused(new DataOptions { Dataset = DatasetKind.ImageFolder }, "train_folder");
        Refused(new DataOptions { TrainFolder = "x" }, "train_folder");
        Refused(new DataOptions { Resize = ResizeMode.Resize }, "resize");
        Refused(new DataOptions { ImageSize = 4, ImageHeight = 4, ImageWidth = 4 }, "image_size");
        Refused(new DataOptions { MaxValidationImages = 0 }, "max_validation_images");
        new DataOptions().Validate();
    }
}
