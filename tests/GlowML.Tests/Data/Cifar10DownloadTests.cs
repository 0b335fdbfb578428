using System.Security.Cryptography;
using GlowML.Data;
using Xunit;

namespace GlowML.Tests.Data;

public class Cifar10DownloadTests
{
    private static byte[] SmallArchive(TestFiles files) => TestFiles.TarGz(files.CifarFolder(perFile: 2, "pack"));

    [Fact]
    public void MatchingChecksumKeepsTheArchiveAndTheLoaderReadsIt()
    {
        using var files = new TestFiles();
        var archive = SmallArchive(files);
        var md5 = Convert.ToHexStringLower(MD5.HashData(archive));
        using var server = new LocalHttpServer(Cifar10Reader.ArchiveName, archive);
        var downloader = new Cifar10Downloader(baseAddress: server.BaseAddress, expectedMd5: md5.ToUpperInvariant());
        var dataPath = files.PathOf("data");

        var log = new List<string>();
        using var splits = DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.Cifar10 }, dataPath, log.Add,
            downloader);
        Assert.Equal(1, server.Requests);
        var saved = Path.Combine(dataPath, Cifar10Reader.ArchiveName);
        Assert.Equal(archive, File.ReadAllBytes(saved));
        Assert.Equal(md5, Cifar10Downloader.Md5Of(saved));
        Assert.Single(Directory.GetFiles(dataPath));
        Assert.Contains(log, l => l.Contains("verified"));

        Assert.Equal(new long[] { 10, 3, 32, 32 }, splits.Train.Pixels.shape);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)(i % 10)), splits.Train.Labels!);
        Assert.Equal(2, splits.Validation.Count);

        // A second load finds the archive and does not download again.
        using var again = DatasetLoader.Load(new DataOptions(), dataPath, null, downloader);
        Assert.Equal(1, server.Requests);
        Assert.True(again.Train.Pixels.eq(splits.Train.Pixels).all().item<bool>());
    }

    [Fact]
    public void ChecksumMismatchNamesBothChecksumsAndLeavesNoFile()
    {
        using var files = new TestFiles();
        var archive = SmallArchive(files);
        using var server = new LocalHttpServer(Cifar10Reader.ArchiveName, archive);
        var downloader = new Cifar10Downloader(baseAddress: server.BaseAddress);
        var dataPath = files.PathOf("data");

        var e = Assert.Throws<InvalidDataException>(() =>
            downloader.DownloadAsync(dataPath).GetAwaiter().GetResult());
        Assert.Contains(Cifar10Downloader.OfficialMd5, e.Message);
        Assert.Contains(Convert.ToHexStringLower(MD5.HashData(archive)), e.Message);
        Assert.Contains(server.BaseAddress + Cifar10Reader.ArchiveName, e.Message);
        Assert.Empty(Directory.GetFiles(dataPath));

        Assert.Throws<InvalidDataException>(() =>
            DatasetLoader.Load(new DataOptions(), dataPath, null, downloader).Dispose());
        Assert.Empty(Directory.GetFiles(dataPath));
    }

    [Fact]
    public void OfflineOrDownloadOffListsTheExactFilesExpected()
    {
        using var files = new TestFiles();
        var dataPath = files.PathOf("data");
        var offline = new Cifar10Downloader(
            baseAddress: new Uri($"http://127.0.0.1:{LocalHttpServer.FreePort()}/"));
        var e = Assert.Throws<FileNotFoundException>(() =>
            DatasetLoader.Load(new DataOptions(), dataPath, null, offline).Dispose());
        foreach (var name in Cifar10Reader.TrainFiles.Concat(Cifar10Reader.TestFiles))
        {
            Assert.Contains(name, e.Message);
        }

        Assert.Contains(Path.Combine(dataPath, "cifar-10-batches-bin"), e.Message);
        Assert.Contains(Path.Combine(dataPath, Cifar10Reader.ArchiveName), e.Message);
        Assert.Contains("failed", e.Message);

        var off = Assert.Throws<FileNotFoundException>(() =>
            DatasetLoader.Load(new DataOptions { Download = false }, dataPath).Dispose());
        Assert.Contains("data.download is false", off.Message);
        Assert.Contains(Cifar10Downloader.OfficialMd5, off.Message);
    }
}
