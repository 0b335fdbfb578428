using System.Buffers.Binary;
using System.IO.Compression;

namespace GlowML.Tests.Data;

/// <summary>A temporary folder deleted on dispose, plus writers for tiny files in every format the readers take.
/// </summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), $"glowml-data-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The real data shipped beside the repository (read-only).</summary>
    public static string SharedData
    {
        get
        {
            // Tests run from tests/GlowML.Tests/bin/<config>/<tfm>/: walk up to the folder holding ../shared/data.
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
                if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "GlowML.sln")))
                {
                    return Path.GetFullPath(candidate);
                }
            }

            throw new DirectoryNotFoundException("../shared/data was not found above " + AppContext.BaseDirectory);
        }
    }

    public string PathOf(string name) => Path.Combine(Root, name);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Image i, pixel p has value (i * 31 + p * 7) mod 256: every byte is checkable after reading.</summary>
    public static byte Pattern(long image, long pixel) => (byte)((image * 31 + pixel * 7) % 256);

    public static byte[] IdxImages(int count, int height, int width, uint magic = 0x00000803)
    {
        var bytes = new byte[16 + count * height * width];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), height);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), width);
        for (int i = 0; i < count; i++)
        {
            for (int p = 0; p < height * width; p++)
            {
                bytes[16 + i * height * width + p] = Pattern(i, p);
            }
        }

        return bytes;
    }

    public static byte[] IdxLabels(byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(0), 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return memory.ToArray();
    }

    /// <summary>CIFAR-10 records: label (first + i) % 10, pixels Pattern(first + i, p).</summary>
    public static byte[] CifarRecords(int count, int first = 0)
    {
        var bytes = new byte[count * 3073];
        for (int i = 0; i < count; i++)
        {
            bytes[i * 3073] = (byte)((first + i) % 10);
            for (int p = 0; p < 3072; p++)
            {
                bytes[i * 3073 + 1 + p] = Pattern(first + i, p);
            }
        }

        return bytes;
    }

    /// <summary>A CIFAR-10 folder with <paramref name="perFile"/> records in each batch file; returns its path.
    /// Train file f holds images f * perFile ..; the test batch holds 1000 + i.</summary>
    public string CifarFolder(int perFile, string name = "cifar-10-batches-bin")
    {
        var folder = PathOf(name);
        Directory.CreateDirectory(folder);
        for (int f = 0; f < 5; f++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"data_batch_{f + 1}.bin"), CifarRecords(perFile, f * perFile));
        }

        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), CifarRecords(perFile, 1000));
        return folder;
    }

    /// <summary>Packs a CIFAR-10 folder as cifar-10-batches-bin/*.bin inside a .tar.gz; returns its bytes.</summary>
    public static byte[] TarGz(string folder)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                tar.WriteEntry(file, "cifar-10-batches-bin/" + Path.GetFileName(file));
            }
        }

        return memory.ToArray();
    }
}
