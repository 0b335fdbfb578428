using System.IO.Compression;
using GlowML.Data;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Ood;

/// <summary>Small slices of the real data sets in ../shared/data (read-only), for the OOD tests.</summary>
internal static class OodTestData
{
    public static string FashionMnistTest => DataFile("fashion-mnist", "t10k-images-idx3-ubyte.gz");

    public static string MnistTest => DataFile("mnist", "t10k-images-idx3-ubyte.gz");

    /// <summary>The first <paramref name="count"/> images of a gzip IDX image file as uint8 [N, 1, H, W].</summary>
    public static ImageSet ReadIdxImages(string path, int count)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new BinaryReader(gzip);
        var header = reader.ReadBytes(16);
        int magic = BigEndian(header, 0);
        Assert.True(magic == 0x0803, $"{path}: IDX magic 0x0803 expected at byte 0, got 0x{magic:x4}.");
        int height = BigEndian(header, 8);
        int width = BigEndian(header, 12);
        var pixels = reader.ReadBytes(count * height * width);
        Assert.True(pixels.Length == count * height * width, $"{path}: fewer than {count} images.");
        return new ImageSet(tensor(pixels).reshape(count, 1, height, width), source: path);
    }

    /// <summary>Planar bytes of image <paramref name="index"/> of a set.</summary>
    public static byte[] ImageBytes(ImageSet set, long index)
    {
        using var scope = NewDisposeScope();
        return set.Pixels[index].contiguous().data<byte>().ToArray();
    }

    private static int BigEndian(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];

    private static string DataFile(string folder, string file)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GlowML.sln")))
        {
            directory = directory.Parent;
        }

        Assert.True(directory is not null, $"No GlowML.sln above {AppContext.BaseDirectory}.");
        var path = Path.Combine(directory!.FullName, "..", "shared", "data", folder, file);
        Assert.True(File.Exists(path), $"Test data {path} is missing.");
        return path;
    }
}
