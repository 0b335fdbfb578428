using System.Formats.Tar;
using System.IO.Compression;
using static TorchSharp.torch;

namespace GlowML.Data;

/// <summary>
/// Reads CIFAR-10's binary version: from the folder <c>cifar-10-batches-bin</c> or straight from the
/// <c>cifar-10-binary.tar.gz</c> archive. Each record is 3073 bytes: the label (0..9), then 1024 red, 1024 green and
/// 1024 blue bytes, each plane row-major 32x32, which is already the planar [C, H, W] order a tensor wants.
/// </summary>
public static class Cifar10Reader
{
    /// <summary>Bytes per record: 1 label byte and 3 * 32 * 32 pixel bytes.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>The archive's file name at the official address.</summary>
    public const string ArchiveName = "cifar-10-binary.tar.gz";

    /// <summary>The folder the archive unpacks to.</summary>
    public const string FolderName = "cifar-10-batches-bin";

    private const int ImageBytes = 3 * 32 * 32;
    private const int ClassCount = 10;

    /// <summary>The five training batch files, in the order their images are concatenated.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The test batch file.</summary>
    public static IReadOnlyList<string> TestFiles { get; } = ["test_batch.bin"];

    /// <summary>The 50,000 training images, uint8 [N, 3, 32, 32] with labels, from a folder of .bin files or the
    /// .tar.gz archive. <paramref name="max"/> stops after that many images.</summary>
    public static ImageSet ReadTrain(string source, long? max = null) => Read(source, TrainFiles, max);

    /// <summary>The 10,000 test images, uint8 [N, 3, 32, 32] with labels (see <see cref="ReadTrain"/>).</summary>
    public static ImageSet ReadTest(string source, long? max = null) => Read(source, TestFiles, max);

    /// <summary>One .bin batch file, uint8 [N, 3, 32, 32] with labels.</summary>
    public static ImageSet ReadBatchFile(string path, long? max = null) => FromFiles([(path, File.ReadAllBytes(path))],
        max, path);

    /// <summary>True when <paramref name="source"/> is a folder holding every .bin file or an archive file.</summary>
    public static bool IsPresent(string source) =>
        IsArchive(source) ? File.Exists(source)
            : TrainFiles.Concat(TestFiles).All(f => File.Exists(Path.Combine(source, f)));

    private static bool IsArchive(string source) =>
        source.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) ||
        source.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    private static ImageSet Read(string source, IReadOnlyList<string> names, long? max)
    {
        if (IsArchive(source))
        {
            return FromFiles(ReadFromArchive(source, names), max, source);
        }

        var missing = names.Select(n => Path.Combine(source, n)).Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"CIFAR-10 files missing: {string.Join(", ", missing)}. Expected in '{source}': " +
                $"{string.Join(", ", names)}.", missing[0]);
        }

        // Read lazily so that a small max does not load all five 30 MB files.
        var paths = names.Select(n => Path.Combine(source, n));
        return FromFiles(paths.Select(p => (p, File.ReadAllBytes(p))), max, source);
    }

    private static IEnumerable<(string Name, byte[] Bytes)> ReadFromArchive(string archive, IReadOnlyList<string> names)
    {
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (found.Count < names.Count && tar.GetNextEntry() is { } entry)
            {
                var name = Path.GetFileName(entry.Name);
                if (entry.DataStream is null || !names.Contains(name) || found.ContainsKey(name))
                {
                    continue;
                }

                var bytes = new byte[entry.Length];
                entry.DataStream.ReadExactly(bytes);
                found[name] = bytes;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DataFileException(archive,
                $"CIFAR-10 archive '{archive}' is truncated or not a gzip-compressed tar file: {e.Message}", inner: e);
        }

        var missing = names.Where(n => !found.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new DataFileException(archive,
                $"CIFAR-10 archive '{archive}' lacks {string.Join(", ", missing)} (expected under {FolderName}/).");
        }

        return names.Select(n => ($"{archive}!{FolderName}/{n}", found[n]));
    }

    private static ImageSet FromFiles(IEnumerable<(string Name, byte[] Bytes)> files, long? max, string source)
    {
        long limit = max ?? long.MaxValue;
        var parts = new List<(string Name, byte[] Bytes, int Records)>();
        long total = 0;
        foreach (var (name, bytes) in files)
        {
            if (total >= limit)
            {
                break;
            }

            int records = CheckRecords(name, bytes);
            int used = (int)Math.Min(records, limit - total);
            parts.Add((name, bytes, used));
            total += used;
        }

        using var scope = NewDisposeScope();
        var pixels = empty(new[] { total, 3L, 32, 32 }, ScalarType.Byte);
        var labels = new long[total];
        long image = 0;
        using (var accessor = pixels.data<byte>())
        {
            foreach (var (_, bytes, records) in parts)
            {
                for (int r = 0; r < records; r++, image++)
                {
                    labels[image] = bytes[r * RecordBytes];
                    accessor.CopyFrom(new ReadOnlySpan<byte>(bytes, r * RecordBytes + 1, ImageBytes), 0,
                        image * ImageBytes);
                }
            }
        }

        return new ImageSet(pixels.MoveToOuterDisposeScope(), labels, source);
    }

    private static int CheckRecords(string name, byte[] bytes)
    {
        int records = bytes.Length / RecordBytes;
        int rest = bytes.Length % RecordBytes;
        if (rest != 0 || bytes.Length == 0)
        {
            throw new DataFileException(name,
                $"CIFAR-10 file '{name}' is {bytes.Length} bytes, not a whole number of {RecordBytes}-byte records: " +
                $"record {records} at byte offset {(long)records * RecordBytes} has {rest} bytes.",
                records, (long)records * RecordBytes);
        }

        for (int r = 0; r < records; r++)
        {
            if (bytes[r * RecordBytes] >= ClassCount)
            {
                throw new DataFileException(name,
                    $"CIFAR-10 file '{name}': record {r} at byte offset {(long)r * RecordBytes} has label " +
                    $"{bytes[r * RecordBytes]}, expected 0..{ClassCount - 1}; the records are misaligned or the file " +
                    "is not CIFAR-10.", r, (long)r * RecordBytes);
            }
        }

        return records;
    }
}
