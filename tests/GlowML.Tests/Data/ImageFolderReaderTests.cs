using GlowML.Data;
using Microsoft.ML.Data;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Data;

public class ImageFolderReaderTests
{
    /// <summary>Pixel (x, y) of channel c of image i in a read set.</summary>
    private static byte At(ImageSet set, long i, int c, int y, int x) => set.Pixels[i, c, y, x].item<byte>();

    private static void AssertColour(ImageSet set, long i, int width, int height, int tolerance, int seed = 0)
    {
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = TestImages.Colour(x, y, seed);
                Assert.InRange(At(set, i, 0, y, x), r - tolerance, r + tolerance);
                Assert.InRange(At(set, i, 1, y, x), g - tolerance, g + tolerance);
                Assert.InRange(At(set, i, 2, y, x), b - tolerance, b + tolerance);
            }
        }
    }

    [Fact]
    public void ReadsEveryFormatWithClassLabelsAndPlanarChannels()
    {
        using var files = new TestFiles();
        TestImages.Write(files.PathOf("ants/1.png"), 4, 3, SKEncodedImageFormat.Png);
        TestImages.Write(files.PathOf("ants/2.bmp"), 4, 3, SKEncodedImageFormat.Bmp);
        TestImages.Write(files.PathOf("bees/3.jpg"), 4, 3, SKEncodedImageFormat.Jpeg);
        TestImages.Write(files.PathOf("bees/4.webp"), 4, 3, SKEncodedImageFormat.Webp);
        File.WriteAllText(files.PathOf("bees/notes.txt"), "ignored");

        Assert.Equal(new[] { "ants", "bees" }, ImageFolderReader.ClassNames(files.Root));
        using var set = ImageFolderReader.Read(files.Root);
        Assert.Equal(new long[] { 4, 3, 3, 4 }, set.Pixels.shape);
        Assert.Equal(new long[] { 0, 0, 1, 1 }, set.Labels!);
        AssertColour(set, 0, 4, 3, tolerance: 0); // png: lossless
        AssertColour(set, 1, 4, 3, tolerance: 0); // bmp: lossless
        AssertColour(set, 2, 4, 3, tolerance: 40); // jpeg: lossy, chroma subsampled
        AssertColour(set, 3, 4, 3, tolerance: 40); // webp: lossy
    }

    [Fact]
    public void FlatFolderHasNoLabelsAndTestFolderUsesTrainClassNames()
    {
        using var files = new TestFiles();
        TestImages.Write(files.PathOf("flat/a.png"), 2, 2, SKEncodedImageFormat.Png);
        using var flat = ImageFolderReader.Read(files.PathOf("flat"));
        Assert.Null(flat.Labels);

        TestImages.Write(files.PathOf("test/dog/a.png"), 2, 2, SKEncodedImageFormat.Png);
        using var test = ImageFolderReader.Read(files.PathOf("test"),
            new ImageFolderOptions { ClassNames = ["cat", "dog"] });
        Assert.Equal(new long[] { 1 }, test.Labels!);

        var e = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(files.PathOf("test"),
            new ImageFolderOptions { ClassNames = ["cat"] }));
        Assert.Contains("'dog'", e.Message);
    }

    [Fact]
    public void GreyWhereRgbIsConfiguredIsAnErrorUnlessConverted()
    {
        using var files = new TestFiles();
        TestImages.Write(files.PathOf("a/1.png"), 3, 2, SKEncodedImageFormat.Png);
        var grey = files.PathOf("a/2.png");
        TestImages.Write(grey, 3, 2, SKEncodedImageFormat.Png, grey: true);

        var e = Assert.Throws<DataFileException>(() =>
            ImageFolderReader.Read(files.Root, new ImageFolderOptions { Channels = 3 }));
        Assert.Contains(grey, e.Message);
        Assert.Contains("greyscale", e.Message);
        Assert.Contains("convert_color", e.Message);

        var convert = new ImageFolderOptions { ConvertColor = true };
        using var rgb = ImageFolderReader.Read(files.Root, convert with { Channels = 3 });
        var (r, _, _) = TestImages.Colour(2, 1);
        Assert.Equal(new[] { r, r, r }, new[] { At(rgb, 1, 0, 1, 2), At(rgb, 1, 1, 1, 2), At(rgb, 1, 2, 1, 2) });

        // RGB to grey: BT.601 luma of the colour image; the grey image keeps its value.
        using var one = ImageFolderReader.Read(files.Root, convert with { Channels = 1 });
        Assert.Equal(new long[] { 2, 1, 2, 3 }, one.Pixels.shape);
        var (r0, g0, b0) = TestImages.Colour(2, 1);
        Assert.Equal((byte)Math.Round(0.299 * r0 + 0.587 * g0 + 0.114 * b0), At(one, 0, 0, 1, 2));
        Assert.Equal(r, At(one, 1, 0, 1, 2));
    }

    [Fact]
    public void MixedSizesAreAnErrorUnlessResizedOrCropped()
    {
        using var files = new TestFiles();
        TestImages.Write(files.PathOf("a.png"), 4, 4, SKEncodedImageFormat.Png);
        var wide = files.PathOf("b.png");
        TestImages.Write(wide, 6, 4, SKEncodedImageFormat.Png, seed: 3);

        var e = Assert.Throws<DataFileException>(() => ImageFolderReader.Read(files.Root));
        Assert.Contains(wide, e.Message);
        Assert.Contains("6x4", e.Message);
        Assert.Contains("4x4", e.Message);
        Assert.Contains("a.png", e.Message);

        var square = new ImageFolderOptions { Height = 4, Width = 4 };
        using var cropped = ImageFolderReader.Read(files.Root, square with { Resize = ResizeMode.CenterCrop });
        Assert.Equal(new long[] { 2, 3, 4, 4 }, cropped.Pixels.shape);
        // The crop of the 6-wide image starts at x = 1.
        var (r, g, b) = TestImages.Colour(1, 2, 3);
        Assert.Equal(new[] { r, g, b },
            new[] { At(cropped, 1, 0, 2, 0), At(cropped, 1, 1, 2, 0), At(cropped, 1, 2, 2, 0) });

        using var resized = ImageFolderReader.Read(files.Root, square with { Resize = ResizeMode.Resize, Height = 2 });
        Assert.Equal(new long[] { 2, 3, 2, 4 }, resized.Pixels.shape);

        var small = Assert.Throws<DataFileException>(() => ImageFolderReader.Read(files.Root,
            new ImageFolderOptions { Height = 5, Width = 5, Resize = ResizeMode.CenterCrop }));
        Assert.Contains("a.png", small.Message);
    }

    [Fact]
    public void CorruptJpegNamesTheFileAndCanBeSkippedWithALogLine()
    {
        using var files = new TestFiles();
        TestImages.Write(files.PathOf("c/0.jpg"), 16, 16, SKEncodedImageFormat.Jpeg);
        var cut = files.PathOf("c/1.jpg");
        TestImages.Write(cut, 16, 16, SKEncodedImageFormat.Jpeg);
        var whole = File.ReadAllBytes(cut);
        File.WriteAllBytes(cut, whole.AsSpan(0, whole.Length * 2 / 3).ToArray());
        var junk = files.PathOf("c/2.png");
        File.WriteAllText(junk, "not an image at all");
        // A real CIFAR JPEG with 64 random bytes over the middle of its data.
        var scrambled = files.PathOf("c/3.jpg");
        var real = File.ReadAllBytes(Path.Combine(TestFiles.SharedData, "cifar10-jpg", "train", "cat", "0000.jpg"));
        new Random(1).NextBytes(real.AsSpan(real.Length / 2, 64));
        File.WriteAllBytes(scrambled, real);

        var e = Assert.Throws<DataFileException>(() => ImageFolderReader.Read(files.Root));
        Assert.Contains(cut, e.Message);
        Assert.Equal(cut, e.FilePath);

        var log = new List<string>();
        using var set = ImageFolderReader.Read(files.Root, new ImageFolderOptions { SkipUnreadable = true }, log.Add);
        Assert.Equal(1, set.Count);
        Assert.Equal(3, log.Count);
        Assert.Contains(cut, log[0]);
        Assert.Contains(junk, log[1]);
        Assert.Contains(scrambled, log[2]);
    }

    [Fact]
    public void EmptyFolderIsNamed()
    {
        using var files = new TestFiles();
        Directory.CreateDirectory(files.PathOf("empty/sub"));
        File.WriteAllText(files.PathOf("empty/readme.md"), "no images");
        var e = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(files.PathOf("empty")));
        Assert.Contains(files.PathOf("empty"), e.Message);
        Assert.Contains("no images", e.Message);
    }

    [Fact]
    public void RealCifarJpegsMatchMlNetsDecodingAndCapsAreSeeded()
    {
        var train = Path.Combine(TestFiles.SharedData, "cifar10-jpg", "train");
        var options = new ImageFolderOptions { MaxImages = 20, Seed = 5 };
        using var set = ImageFolderReader.Read(train, options);
        Assert.Equal(new long[] { 20, 3, 32, 32 }, set.Pixels.shape);
        Assert.Equal(10, ImageFolderReader.ClassNames(train).Count);
        Assert.All(set.Labels!, l => Assert.InRange(l, 0, 9));
        Assert.True(set.Labels!.Distinct().Count() > 3, "a random pick spans classes");

        using var again = ImageFolderReader.Read(train, options);
        Assert.True(again.Pixels.eq(set.Pixels).all().item<bool>());
        using var other = ImageFolderReader.Read(train, options with { Seed = 6 });
        Assert.False(other.Pixels.eq(set.Pixels).all().item<bool>());

        // Cross-check one file against ML.NET's own image type (BGRA bytes).
        using var files = new TestFiles();
        var file = files.PathOf("0000.jpg");
        File.Copy(Path.Combine(train, "airplane", "0000.jpg"), file);
        using var single = ImageFolderReader.Read(files.Root);
        using var reference = MLImage.CreateFromFile(file);
        var bgra = reference.Pixels.ToArray();
        using var scope = NewDisposeScope();
        var ours = single.Pixels[0].permute(1, 2, 0).reshape(-1, 3).data<byte>().ToArray();
        int differing = 0;
        for (int p = 0; p < 32 * 32; p++)
        {
            differing += Math.Abs(ours[3 * p] - bgra[4 * p + 2]) > 1 || Math.Abs(ours[3 * p + 2] - bgra[4 * p]) > 1
                ? 1 : 0;
        }

        Assert.Equal(0, differing);
    }
}
