using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow tensorboard</c>: runs TensorBoard on the experiment's logs, or prints the command.</summary>
public sealed class TensorBoardCommand : Command<TensorBoardCommand.Settings>
{
    /// <summary>Options of <c>glow tensorboard</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>Port.</summary>
        [CommandOption("--port <P>")]
        [Description("Port for TensorBoard. Default: 6006")]
        [DefaultValue(6006)]
        [OptionRange(1, 65535)]
        public int Port { get; init; } = 6006;
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var experiment = settings.OpenExperiment();
        var arguments = $"--logdir \"{experiment.TensorBoardDirectory}\" --port {settings.Port}";
        var executable = FindOnPath("tensorboard");
        if (executable is null)
        {
            Console.WriteLine("TensorBoard is not installed here. Install it (pip install tensorboard) and run:");
            Console.WriteLine($"  tensorboard {arguments}");
            return 0;
        }

        Console.WriteLine($"starting: tensorboard {arguments}  (Ctrl-C to stop)");
        using var process = Process.Start(new ProcessStartInfo(executable, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"Could not start {executable}.");
        try
        {
            process.WaitForExitAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        return 0;
    }

    private static string? FindOnPath(string name)
    {
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name + ".cmd" } : new[] { name };
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(d => d.Length > 0)
            .SelectMany(d => names.Select(n => Path.Combine(d, n)))
            .FirstOrDefault(File.Exists);
    }
}
