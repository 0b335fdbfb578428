using System.Diagnostics;

namespace GlowML.Tests.Cli;

/// <summary>Runs the built <c>glow</c> command in a child process, as a user would.</summary>
internal static class GlowCli
{
    public static string Dll { get; } = FindDll();

    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"glow {string.Join(' ', args)} did not finish in 5 minutes.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    private static string FindDll()
    {
        // Same configuration as this test build (Debug or Release).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(TestPaths.RepositoryRoot, "src", "GlowML.Cli", "bin", configuration, "net10.0",
            "glow.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the CLI first: {path} is missing.");
    }
}
