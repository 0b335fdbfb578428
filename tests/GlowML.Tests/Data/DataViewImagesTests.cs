using GlowML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GlowML.Tests.Data;

public class DataViewImagesTests
{
    private sealed class PixelRow
    {
        [VectorType(12)]
        public float[] Pixels { get; set; } = [];
    }

    private sealed class ShortRow
    {
        [VectorType(5)]
        public float[] Pixels { get; set; } = [];
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    [Fact]
    public void FloatVectorsBecomeBytesInPlanarOrder()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 3).Select(r => new PixelRow
        {
            Pixels = Enumerable.Range(0, 12).Select(i => TestFiles.Pattern(r, i) / 255f).ToArray(),
        });
        using var set = DataViewImages.ToImageSet(ml.Data.LoadFromEnumerable(rows), "Pixels", 3, 2, 2);
        Assert.Equal(new long[] { 3, 3, 2, 2 }, set.Pixels.shape);
        var expected = Enumerable.Range(0, 3)
            .SelectMany(r => Enumerable.Range(0, 12).Select(i => TestFiles.Pattern(r, i)));
        Assert.Equal(expected, set.Pixels.data<byte>().ToArray());

        var bytes = rows.Select(r => new PixelRow { Pixels = r.Pixels.Select(v => v * 255).ToArray() });
        using var raw = DataViewImages.ToImageSet(ml.Data.LoadFromEnumerable(bytes), "Pixels", 3, 2, 2,
            valuesUpTo255: true);
        Assert.Equal(expected, raw.Pixels.data<byte>().ToArray());

        // Unscaled values where [0, 1] is expected: refused with the row, not clipped.
        var e = Assert.Throws<InvalidDataException>(() =>
            DataViewImages.ToImageSet(ml.Data.LoadFromEnumerable(bytes), "Pixels", 3, 2, 2));
        Assert.Contains("'Pixels'", e.Message);
        Assert.Contains("row 0", e.Message);
    }

    [Fact]
    public void WrongColumnTypeOrSizeNamesColumnTypeAndExpectation()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ShortRow { Pixels = new float[5] } });
        var e = Assert.Throws<ArgumentException>(() => DataViewImages.ToImageSet(data, "Pixels", 3, 2, 2));
        Assert.Contains("'Pixels'", e.Message);
        Assert.Contains("Vector<Single, 5>", e.Message);
        Assert.Contains("Vector<Single, 12>", e.Message);

        var paths = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = "x" } });
        var text = Assert.Throws<ArgumentException>(() => DataViewImages.ToImageSet(paths, "Path", 1, 2, 2));
        Assert.Contains("String", text.Message);
        var missing = Assert.Throws<ArgumentException>(() => DataViewImages.ToImageSet(paths, "Image", 1, 2, 2));
        Assert.Contains("'Image'", missing.Message);
        Assert.Contains("Path", missing.Message);
    }

    [Fact]
    public void RealCifarJpegsAgreeThroughImageColumnPixelColumnAndFolderReader()
    {
        using var files = new TestFiles();
        var source = Path.Combine(TestFiles.SharedData, "cifar10-jpg", "test", "ship");
        var names = new[] { "0000.jpg", "0001.jpg", "0002.jpg" };
        foreach (var name in names)
        {
            File.Copy(Path.Combine(source, name), files.PathOf(name));
        }

        var ml = new MLContext(seed: 1);
        var paths = ml.Data.LoadFromEnumerable(names.Select(n => new PathRow { Path = n }));
        var pipeline = ml.Transforms.LoadImages("Raw", files.Root, "Path")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32, "Raw"))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255));
        var data = pipeline.Fit(paths).Transform(paths);

        using var fromImages = DataViewImages.ToImageSet(data, "Image", 3, 32, 32);
        using var fromPixels = DataViewImages.ToImageSet(data, "Pixels", 3, 32, 32);
        using var fromFolder = ImageFolderReader.Read(files.Root);
        Assert.Equal(new long[] { 3, 3, 32, 32 }, fromImages.Pixels.shape);
        Assert.True(fromImages.Pixels.eq(fromPixels.Pixels).all().item<bool>(), "image column vs ExtractPixels");
        var difference = (fromImages.Pixels.to(TorchSharp.torch.ScalarType.Int32) -
                          fromFolder.Pixels.to(TorchSharp.torch.ScalarType.Int32)).abs().max().item<int>();
        Assert.True(difference <= 1, $"ML.NET and folder decoding differ by {difference}");

        using var grey = DataViewImages.ToImageSet(data, "Image", 1, 32, 32);
        Assert.Equal(new long[] { 3, 1, 32, 32 }, grey.Pixels.shape);
        var wrongType = Assert.Throws<ArgumentException>(() => DataViewImages.ToImageSet(data, "Image", 3, 16, 16));
        Assert.Contains("Image<16, 16>", wrongType.Message);
        // The unresized column has no size in its type: each row is checked instead.
        var wrongSize = Assert.Throws<InvalidDataException>(() => DataViewImages.ToImageSet(data, "Raw", 3, 16, 16));
        Assert.Contains("row 0", wrongSize.Message);
        Assert.Contains("32x32", wrongSize.Message);
    }
}
