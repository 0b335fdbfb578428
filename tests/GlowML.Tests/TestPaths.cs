namespace GlowML.Tests;

/// <summary>Where the repository and the shared real data are, wherever the tests run from.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>../shared/data beside the repository (read-only).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    public static string FashionMnist => Path.Combine(SharedData, "fashion-mnist");

    public static string Mnist => Path.Combine(SharedData, "mnist");

    public static string Cifar10Jpg => Path.Combine(SharedData, "cifar10-jpg");

    /// <summary>A fresh temporary folder, deleted by the returned handle.</summary>
    public static TempFolder NewTempFolder() => new();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GlowML.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException(
            $"GlowML.sln not found above {AppContext.BaseDirectory}.");
    }

    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "glowml-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow filesystem must not fail the test that used it.
            }
        }
    }
}
