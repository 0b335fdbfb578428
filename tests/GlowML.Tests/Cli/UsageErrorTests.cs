using Xunit;

namespace GlowML.Tests.Cli;

/// <summary>Bad option values are usage errors (exit code 2) whose one line names the option and what it accepts.
/// </summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly TestPaths.TempFolder _folder = TestPaths.NewTempFolder();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--count", "99999999999", "a whole number from 1 to 10000")]
    [InlineData("--count", "2147483647", "a whole number from 1 to 10000")]
    [InlineData("--count", "many", "a whole number from 1 to 10000")]
    [InlineData("--count", "0", "a whole number from 1 to 10000")]
    [InlineData("--seed", "1e9", "a whole number from -9223372036854775808 to 9223372036854775807")]
    [InlineData("--temperature", "warm", "a number")]
    public void NumbersOutOfRangeNameTheOptionAndTheRange(string option, string value, string accepted)
    {
        var png = Path.Combine(_folder.Path, "x.png");
        var run = GlowCli.Run(_folder.Path, "sample", "--release", "ghost.glow", "--output", png, option, value);
        AssertUsageError(run, $"{option} must be {accepted}, not");
        Assert.Contains(value, run.Error);
        Assert.DoesNotContain("Nullable", run.Error);
    }

    [Fact]
    public void TheEqualsFormIsExplainedToo()
    {
        var run = GlowCli.Run(_folder.Path, "test", "--experiment-name", "x", "--count=99999999999");
        AssertUsageError(run, "--count must be a whole number from 1 to 10000, not '99999999999'");
    }

    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda:x")]
    [InlineData("gpu0")]
    public void UnknownDevicesAreUsageErrors(string device)
    {
        var run = GlowCli.Run(_folder.Path, "train", "--experiment-name", "x", "--experiments-path", _folder.Path,
            "--device", device);
        AssertUsageError(run, $"--device '{device}' is not a device");
        Assert.Contains("cpu, cuda or cuda:N", run.Error);
    }

    [Theory]
    [InlineData("info", "../escape")]
    [InlineData("train", "a/b")]
    [InlineData("init", "..")]
    [InlineData("test", ".")]
    public void UnusableExperimentNamesAreUsageErrors(string command, string name)
    {
        var config = Path.Combine(TestPaths.RepositoryRoot, "configs", "fashion-mnist.cpu.json");
        var args = new List<string> { command, "--experiment-name", name, "--experiments-path", _folder.Path };
        if (command == "init")
        {
            args.AddRange(["--config-path", config]);
        }

        var run = GlowCli.Run(_folder.Path, [.. args]);
        AssertUsageError(run, $"--experiment-name '{name}' is not usable");
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    internal static void AssertUsageError((int ExitCode, string Output, string Error) run, string expected)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Output}{run.Error}");
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("glow: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.True(lines.Length <= 2, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }
}
