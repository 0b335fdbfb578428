using System.Security.Cryptography;

namespace GlowML.Data;

/// <summary>
/// Downloads <c>cifar-10-binary.tar.gz</c> and verifies its MD5 before it takes its final name, so a broken or
/// tampered download never looks like data. The address and checksum can be replaced (a mirror, a test server).
/// </summary>
public sealed class Cifar10Downloader
{
    /// <summary>The folder of the official archive.</summary>
    public static readonly Uri OfficialBaseAddress = new("https://www.cs.toronto.edu/~kriz/");

    /// <summary>MD5 of the official archive, as published with it.</summary>
    public const string OfficialMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    private readonly HttpClient _client;

    /// <summary>Creates a downloader; <paramref name="client"/> defaults to a new HttpClient with a 30-minute
    /// timeout (the archive is 163 MB).</summary>
    public Cifar10Downloader(HttpClient? client = null, Uri? baseAddress = null, string expectedMd5 = OfficialMd5)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedMd5);
        _client = client ?? new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        BaseAddress = baseAddress ?? OfficialBaseAddress;
        ExpectedMd5 = expectedMd5.ToLowerInvariant();
    }

    /// <summary>The folder address the archive name is appended to.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The expected MD5, lower-case hex.</summary>
    public string ExpectedMd5 { get; }

    /// <summary>The archive's full address.</summary>
    public Uri Address => new(BaseAddress, Cifar10Reader.ArchiveName);

    /// <summary>Downloads the archive into <paramref name="folder"/> and returns its path. Throws
    /// <see cref="HttpRequestException"/> when the server cannot be reached or refuses, and
    /// <see cref="InvalidDataException"/> (naming the address and both checksums) when the MD5 differs; in both
    /// cases nothing is left under the archive's name.</summary>
    public async Task<string> DownloadAsync(string folder, Action<string>? log = null,
        CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Cifar10Reader.ArchiveName);
        var partial = path + ".partial";
        log?.Invoke($"downloading {Address} to {path}");
        try
        {
            using var response = await _client.GetAsync(Address, HttpCompletionOption.ResponseHeadersRead,
                cancellation).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            string actual;
            await using (var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false))
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16,
                             useAsync: true))
            {
                using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                }

                actual = Convert.ToHexStringLower(md5.GetHashAndReset());
            }

            if (actual != ExpectedMd5)
            {
                throw new InvalidDataException(
                    $"The download from {Address} has MD5 {actual}, expected {ExpectedMd5}: it is incomplete or not " +
                    "the CIFAR-10 binary archive, and was deleted.");
            }

            File.Move(partial, path, overwrite: true);
            log?.Invoke($"downloaded {new FileInfo(path).Length} bytes, MD5 {actual} verified");
            return path;
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }

    /// <summary>The MD5 of a file, lower-case hex (to check an archive obtained some other way).</summary>
    public static string Md5Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(file));
    }
}
