using System.Buffers.Binary;
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
    public void CorruptGzipNamesTheFileAndSaysTheGzipDataIsCorrupt()
    {
        using var files = new TestFiles();
        var real = File.ReadAllBytes(Path.Combine(TestFiles.SharedData, "fashion-mnist", "t10k-images-idx3-ubyte.gz"));

        // A damaged CRC in the gzip trailer, and a damaged byte in the middle of the compressed data.
        var badCrc = files.PathOf("bad-crc-idx3-ubyte.gz");
        var crc = (byte[])real.Clone();
        crc[^6] ^= 0xFF;
        File.WriteAllBytes(badCrc, crc);
        var badByte = files.PathOf("bad-byte-idx3-ubyte.gz");
        var flipped = (byte[])real.Clone();
        flipped[real.Length / 2] ^= 0x5A;
        File.WriteAllBytes(badByte, flipped);

        foreach (var path in new[] { badCrc, badByte })
        {
            var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("corrupt gzip data", e.Message);
            Assert.DoesNotContain("compression method", e.Message);
            Assert.Equal(path, e.FilePath);
        }

        var labels = files.PathOf("bad-labels-idx1-ubyte.gz");
        var digits = Enumerable.Range(0, 5000).Select(i => (byte)(i % 10)).ToArray();
        var labelBytes = TestFiles.Gzip(TestFiles.IdxLabels(digits));
        labelBytes[^7] ^= 0xFF;
        File.WriteAllBytes(labels, labelBytes);
        var labelError = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(labels));
        Assert.Contains(labels, labelError.Message);
        Assert.Contains("corrupt gzip data", labelError.Message);
    }

    [Fact]
    public void TruncatedGzipStreamSaysTheGzipFileIsCutShort()
    {
        using var files = new TestFiles();
        var real = File.ReadAllBytes(Path.Combine(TestFiles.SharedData, "fashion-mnist", "t10k-images-idx3-ubyte.gz"));
        var path = files.PathOf("cut-t10k-images-idx3-ubyte.gz");
        File.WriteAllBytes(path, real.AsSpan(0, real.Length / 2).ToArray());

        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("gzip data ends early", e.Message);
        Assert.Contains("10000 x 28 x 28", e.Message);
    }

    [Fact]
    public void HugeHeadersAreRefusedBeforeAllocationNamingFileAndDimensions()
    {
        using var files = new TestFiles();
        var header = TestFiles.IdxImages(0, 1, 1);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), int.MaxValue);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), int.MaxValue);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), int.MaxValue);
        byte[] withData = [.. header, .. new byte[100]];

        // A plain file: compared with the bytes that really follow the header.
        var plain = files.PathOf("huge-idx3-ubyte");
        File.WriteAllBytes(plain, withData);
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(plain));
        Assert.Contains(plain, e.Message);
        Assert.Contains("2147483647 x 2147483647 x 2147483647", e.Message);
        Assert.Contains("byte offset 116", e.Message);

        // A gzip file: compared with a maximum, since its decompressed length is unknown until read.
        var gzip = files.PathOf("huge-idx3-ubyte.gz");
        File.WriteAllBytes(gzip, TestFiles.Gzip(withData));
        var g = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(gzip));
        Assert.Contains(gzip, g.Message);
        Assert.Contains("2147483647 x 2147483647 x 2147483647", g.Message);
        Assert.Contains("gunzip", g.Message);

        // Reading only the first image still needs 2^62 bytes.
        Assert.Throws<DataFileException>(() => IdxReader.ReadImages(plain, max: 1));

        var labels = files.PathOf("huge-labels-idx1-ubyte.gz");
        var labelHeader = TestFiles.IdxLabels([1, 2, 3]);
        BinaryPrimitives.WriteInt32BigEndian(labelHeader.AsSpan(4), int.MaxValue);
        File.WriteAllBytes(labels, TestFiles.Gzip(labelHeader));
        var l = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(labels));
        Assert.Contains(labels, l.Message);
        Assert.Contains("2147483647", l.Message);
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
