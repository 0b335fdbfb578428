using System.Formats.Tar;
using System.IO.Compression;
using GlowML.Data;
using GlowML.Model;
using GlowML.Ood;
using GlowML.Tests.Flows;
using Xunit;
using static TorchSharp.torch;

// Not GlowML.Tests.Evaluation: a namespace of that name would hide the class GlowML.Training.Evaluation.
namespace GlowML.Tests.Ood;

public class DatasetSpecTests
{
    private static readonly GlowArchitecture Grey28 = TinyModels.Architecture(height: 28, width: 28);
    private static readonly GlowArchitecture Rgb32 = TinyModels.Architecture(channels: 3, height: 32, width: 32);

    [Theory]
    [InlineData("fashion-mnist")]
    [InlineData("MNIST")]
    public void BuiltInIdxNamesReadTheFirstTestImages(string spec)
    {
        using var set = DatasetSpec.Load(spec, TestPaths.SharedData, Grey28, count: 10, seed: 0);
        var folder = spec.ToLowerInvariant();
        Assert.Equal(folder, set.Name);
        Assert.Equal(Path.Combine(TestPaths.SharedData, folder, "t10k-images-idx3-ubyte.gz"), set.Images.Source);
        using var expected = IdxReader.ReadImages(set.Images.Source, 10);
        Assert.Equal(Bytes(expected), Bytes(set.Images));
    }

    [Fact]
    public void Cifar10FallsBackToTheJpegTestFolderWithASeededPick()
    {
        using var a = DatasetSpec.Load("cifar10", TestPaths.SharedData, Rgb32, count: 6, seed: 3);
        using var again = DatasetSpec.Load("cifar10", TestPaths.SharedData, Rgb32, count: 6, seed: 3);
        using var other = DatasetSpec.Load("cifar10", TestPaths.SharedData, Rgb32, count: 6, seed: 4);
        Assert.Equal(Path.Combine(TestPaths.Cifar10Jpg, "test"), a.Images.Source);
        Assert.Equal([6L, 3, 32, 32], a.Images.Pixels.shape);
        Assert.Equal(Bytes(a.Images), Bytes(again.Images));
        Assert.NotEqual(Bytes(a.Images), Bytes(other.Images));
    }

    [Fact]
    public void SyntheticSetsHaveExactlyCountImagesAtTheModelsShape()
    {
        using var constant = DatasetSpec.Load("constant", "no-such-folder", Rgb32, count: 5, seed: 9);
        using var noise = DatasetSpec.Load(" Noise ", "no-such-folder", Rgb32, count: 7, seed: 9);
        using var sameNoise = SyntheticOutSets.Noise(7, 3, 32, 32, 9);
        Assert.Equal("constant", constant.Name);
        Assert.Equal("noise", noise.Name);
        Assert.Equal([5L, 3, 32, 32], constant.Images.Pixels.shape);
        Assert.Equal(Bytes(sameNoise), Bytes(noise.Images));
        Assert.True(DatasetSpec.IsSynthetic("NOISE") && DatasetSpec.IsSynthetic("constant"));
        Assert.False(DatasetSpec.IsSynthetic("mnist"));
    }

    [Fact]
    public void ExplicitIdxFilesReadPlainAndGzip()
    {
        using var folder = TestPaths.NewTempFolder();
        var gzip = Path.Combine(TestPaths.Mnist, "t10k-images-idx3-ubyte.gz");
        var plain = Path.Combine(folder.Path, "digits.idx");
        using (var input = new GZipStream(File.OpenRead(gzip), CompressionMode.Decompress))
        using (var output = File.Create(plain))
        {
            input.CopyTo(output);
        }

        using var fromGzip = DatasetSpec.Load(gzip, "unused", Grey28, count: 12, seed: 0);
        using var fromPlain = DatasetSpec.Load(plain, "unused", Grey28, count: 12, seed: 0);
        Assert.Equal(gzip, fromGzip.Name);
        Assert.Equal(12, fromPlain.Images.Count);
        Assert.Equal(Bytes(fromGzip.Images), Bytes(fromPlain.Images));
    }

    [Fact]
    public void Cifar10BatchFileFolderAndArchiveReadTheTestBatch()
    {
        using var folder = TestPaths.NewTempFolder();
        var batches = Directory.CreateDirectory(Path.Combine(folder.Path, Cifar10Reader.FolderName)).FullName;
        var records = new byte[5 * Cifar10Reader.RecordBytes];
        new Random(1).NextBytes(records);
        for (int r = 0; r < 5; r++)
        {
            records[r * Cifar10Reader.RecordBytes] = (byte)r;
        }

        var bin = Path.Combine(batches, "test_batch.bin");
        File.WriteAllBytes(bin, records);
        var archive = Path.Combine(folder.Path, "cifar.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            TarFile.CreateFromDirectory(batches, gzip, includeBaseDirectory: true);
        }

        using var fromFile = DatasetSpec.Load(bin, "unused", Rgb32, count: 3, seed: 0);
        using var fromFolder = DatasetSpec.Load(batches, "unused", Rgb32, count: 10, seed: 0);
        using var fromArchive = DatasetSpec.Load(archive, "unused", Rgb32, count: 10, seed: 0);
        using var builtIn = DatasetSpec.Load("cifar10", folder.Path, Rgb32, count: 10, seed: 0);
        Assert.Equal(3, fromFile.Images.Count);
        Assert.Equal(5, fromFolder.Images.Count);
        var first = records.AsSpan(1, 3 * 32 * 32).ToArray();
        Assert.Equal(first, Bytes(fromFile.Images).AsSpan(0, first.Length).ToArray());
        Assert.Equal(Bytes(fromFolder.Images), Bytes(fromArchive.Images));
        Assert.Equal(Bytes(fromFolder.Images), Bytes(builtIn.Images));
    }

    [Fact]
    public void ImageFoldersKeepTheirOwnShapeAndAreChecked()
    {
        var airplanes = Path.Combine(TestPaths.Cifar10Jpg, "test", "airplane");
        using var set = DatasetSpec.Load(airplanes, "unused", Rgb32, count: 4, seed: 1);
        Assert.Equal([4L, 3, 32, 32], set.Images.Pixels.shape);

        var error = Assert.Throws<InvalidDataException>(() =>
            DatasetSpec.Load(airplanes, "unused", Grey28, count: 4, seed: 1));
        Assert.Contains($"'{airplanes}'", error.Message);
        Assert.Contains("[3, 32, 32]", error.Message);
        Assert.Contains("[1, 28, 28]", error.Message);
    }

    [Fact]
    public void ShapeMismatchNamesTheSetAndBothShapes()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            DatasetSpec.Load("mnist", TestPaths.SharedData, Rgb32, count: 4, seed: 0));
        Assert.Equal($"Data set 'mnist' ({Path.Combine(TestPaths.Mnist, "t10k-images-idx3-ubyte.gz")}) holds "
            + "images [1, 28, 28] but the model expects [3, 32, 32] ([C, H, W]).", error.Message);
    }

    [Fact]
    public void UnknownNamesAndMissingBuiltInsAreRefusedClearly()
    {
        var unknown = Assert.Throws<ArgumentException>(() =>
            DatasetSpec.Load("svhn", TestPaths.SharedData, Grey28, count: 4, seed: 0));
        Assert.Contains("Unknown DATASET 'svhn'", unknown.Message);
        Assert.Contains("fashion-mnist, mnist, cifar10", unknown.Message);
        Assert.Contains("constant, noise", unknown.Message);

        using var empty = TestPaths.NewTempFolder();
        var missing = Assert.Throws<FileNotFoundException>(() =>
            DatasetSpec.Load("fashion-mnist", empty.Path, Grey28, count: 4, seed: 0));
        Assert.Contains(Path.Combine(empty.Path, "fashion-mnist", "t10k-images-idx3-ubyte"), missing.Message);
        var cifar = Assert.Throws<FileNotFoundException>(() =>
            DatasetSpec.Load("cifar10", empty.Path, Rgb32, count: 4, seed: 0));
        Assert.Contains(Path.Combine(empty.Path, "cifar10-jpg/test"), cifar.Message);

        var notIdx = Path.Combine(empty.Path, "notes.txt");
        File.WriteAllText(notIdx, "not images");
        var wrongFile = Assert.Throws<DataFileException>(() =>
            DatasetSpec.Load(notIdx, "unused", Grey28, count: 4, seed: 0));
        Assert.Contains(notIdx, wrongFile.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            DatasetSpec.Load("noise", "unused", Grey28, count: 0, seed: 0));
    }

    private static byte[] Bytes(ImageSet set)
    {
        using var scope = NewDisposeScope();
        return set.Pixels.contiguous().data<byte>().ToArray();
    }
}
