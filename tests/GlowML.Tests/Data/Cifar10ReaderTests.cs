using GlowML.Data;
using Xunit;

namespace GlowML.Tests.Data;

public class Cifar10ReaderTests
{
    [Fact]
    public void FolderAndArchiveGiveTheSameImagesAndLabels()
    {
        using var files = new TestFiles();
        var folder = files.CifarFolder(perFile: 3);
        var archive = files.PathOf(Cifar10Reader.ArchiveName);
        File.WriteAllBytes(archive, TestFiles.TarGz(folder));

        foreach (var source in new[] { folder, archive })
        {
            using var train = Cifar10Reader.ReadTrain(source);
            using var test = Cifar10Reader.ReadTest(source);
            Assert.Equal(new long[] { 15, 3, 32, 32 }, train.Pixels.shape);
            Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)(i % 10)), train.Labels!);
            Assert.Equal(3, test.Count);
            Assert.Equal(new long[] { 0, 1, 2 }, test.Labels!);

            var bytes = train.Pixels.data<byte>().ToArray();
            for (int i = 0; i < 15; i += 7)
            {
                for (int p = 0; p < 3072; p += 101)
                {
                    Assert.Equal(TestFiles.Pattern(i, p), bytes[i * 3072 + p]);
                }
            }
        }

        using var capped = Cifar10Reader.ReadTrain(folder, max: 4);
        Assert.Equal(4, capped.Count);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, capped.Labels!);
    }

    [Fact]
    public void RecordOfWrongLengthNamesFileRecordAndOffset()
    {
        using var files = new TestFiles();
        var path = files.PathOf("data_batch_1.bin");
        File.WriteAllBytes(path, TestFiles.CifarRecords(3).AsSpan(0, 3073 * 2 + 100).ToArray());
        var e = Assert.Throws<DataFileException>(() => Cifar10Reader.ReadBatchFile(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("record 2", e.Message);
        Assert.Contains("byte offset 6146", e.Message);
        Assert.Equal(2, e.RecordIndex);
    }

    [Fact]
    public void LabelOutOfRangeNamesRecord()
    {
        using var files = new TestFiles();
        var bytes = TestFiles.CifarRecords(3);
        bytes[3073] = 77;
        var path = files.PathOf("test_batch.bin");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DataFileException>(() => Cifar10Reader.ReadBatchFile(path));
        Assert.Contains("record 1", e.Message);
        Assert.Contains("label 77", e.Message);
        Assert.Contains("byte offset 3073", e.Message);
    }

    [Fact]
    public void MissingFilesAreListedAndTruncatedArchiveIsNamed()
    {
        using var files = new TestFiles();
        var folder = files.CifarFolder(perFile: 1);
        File.Delete(Path.Combine(folder, "data_batch_4.bin"));
        var missing = Assert.Throws<FileNotFoundException>(() => Cifar10Reader.ReadTrain(folder));
        Assert.Contains("data_batch_4.bin", missing.Message);
        Assert.Contains(folder, missing.Message);

        File.WriteAllBytes(Path.Combine(folder, "data_batch_4.bin"), TestFiles.CifarRecords(1));
        var archive = files.PathOf("cut.tar.gz");
        var whole = TestFiles.TarGz(folder);
        File.WriteAllBytes(archive, whole.AsSpan(0, whole.Length / 2).ToArray());
        var cut = Assert.Throws<DataFileException>(() => Cifar10Reader.ReadTrain(archive));
        Assert.Contains(archive, cut.Message);
    }
}
