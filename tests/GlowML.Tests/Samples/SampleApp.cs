using System.Diagnostics;

namespace GlowML.Tests.Samples;

/// <summary>Runs a built sample in a child process, as `dotnet run` would after building.</summary>
internal static class SampleApp
{
    /// <summary>The sample's dll, built in this test build's configuration.</summary>
    public static string Dll(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(TestPaths.RepositoryRoot, "samples", project, "bin", configuration, "net10.0",
            project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Build the samples first: {path} is missing.");
    }

    public static (int ExitCode, string Output, string Error) Run(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{Path.GetFileName(dll)} {string.Join(' ', args)} did not finish in 3 minutes.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
