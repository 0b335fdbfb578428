using GlowML.Data;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsEveryByteOfPlainAndGzipFiles(bool gzip)
    {
        using var files = new TestFiles();
        var raw = TestFiles.IdxImages(5, 4, 3);
        var path = files.PathOf(gzip ? "imgs-idx3-ubyte.gz" : "imgs-idx3-ubyte");
        File.WriteAllBytes(path, gzip ? TestFiles.Gzip(raw) : raw);

        using var set = IdxReader.ReadImages(path);
        Assert.Equal(new long[] { 5, 1, 4, 3 }, set.Pixels.shape);
        var bytes = set.Pixels.data<byte>().ToArray();
        Assert.Equal(raw.AsSpan(16).ToArray(), bytes);
        Assert.Null(set.Labels);

        using var two = IdxReader.ReadImages(path, max: 2);
        Assert.Equal(2, two.Count);
        Assert.Equal(raw.AsSpan(16, 24).ToArray(), two.Pixels.data<byte>().ToArray());
    }

    [Fact]
    public void ReadsLabels()
    {
        using var files = new TestFiles();
        var path = files.PathOf("labels-idx1-ubyte.gz");
        File.WriteAllBytes(path, TestFiles.Gzip(TestFiles.IdxLabels([3, 1, 4, 1, 5])));
        Assert.Equal(new long[] { 3, 1, 4, 1, 5 }, IdxReader.ReadLabels(path));
        Assert.Equal(new long[] { 3, 1 }, IdxReader.ReadLabels(path, 2));
    }

    [Fact]
    public void WrongMagicNumberNamesFileAndOffset()
    {
        using var files = new TestFiles();
        var path = files.PathOf("labels-as-images");
        File.WriteAllBytes(path, TestFiles.IdxImages(2, 2, 2, magic: 0x00000801));
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("0x00000801", e.Message);
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains("byte offset 0", e.Message);
        Assert.Equal(0, e.ByteOffset);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedFileNamesFileImageAndOffset(bool gzip)
    {
        using var files = new TestFiles();
        var raw = TestFiles.IdxImages(4, 3, 3);
        var cut = raw.AsSpan(0, 16 + 9 * 2 + 5).ToArray(); // image 2 has 5 of its 9 bytes
        var path = files.PathOf("cut-idx3-ubyte");
        File.WriteAllBytes(path, gzip ? TestFiles.Gzip(cut) : cut);

        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("image 2", e.Message);
        Assert.Contains("byte offset 39", e.Message);
        Assert.Equal(2, e.RecordIndex);
        Assert.Equal(39, e.ByteOffset);

        // Reading only the whole images before the cut is fine.
        using var first = IdxReader.ReadImages(path, 2);
        Assert.Equal(2, first.Count);
    }

    [Fact]
    public void TruncatedHeaderAndTrailingBytesAreRefused()
    {
        using var files = new TestFiles();
        var header = files.PathOf("header-only");
        File.WriteAllBytes(header, TestFiles.IdxImages(1, 2, 2).AsSpan(0, 10).ToArray());
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(header));
        Assert.Contains("header", e.Message);
        Assert.Contains("byte offset 10", e.Message);

        var longer = files.PathOf("longer");
        File.WriteAllBytes(longer, [.. TestFiles.IdxImages(2, 2, 2), 9]);
        var trailing = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(longer));
        Assert.Contains(longer, trailing.Message);
        Assert.Contains("byte offset 24", trailing.Message);
    }

    [Fact]
    public void RealFashionMnistFirstHundredImagesFromGzip()
    {
        var path = Path.Combine(TestFiles.SharedData, "fashion-mnist", "train-images-idx3-ubyte.gz");
        using var set = IdxReader.ReadImages(path, 100);
        Assert.Equal(new long[] { 100, 1, 28, 28 }, set.Pixels.shape);

        // Fashion-MNIST items sit on a black background: borders dark, centres bright on average.
        using var scope = NewDisposeScope();
        var x = set.Pixels.to(ScalarType.Float32);
        var border = x[.., .., 0, ..].mean().item<float>();
        var centre = x[.., .., 10..18, 10..18].mean().item<float>();
        Assert.True(border < 20, $"border mean {border}");
        Assert.True(centre > 60, $"centre mean {centre}");
        Assert.Equal(255, set.Pixels.max().item<byte>());
        Assert.Equal(0, set.Pixels.min().item<byte>());
    }
}
