using Spectre.Console.Cli;

namespace GlowML.Cli;

/// <summary>Turns exceptions into one or two lines a person can act on (the stack trace only with --verbose) and
/// an exit code: 0 success, 1 failure, 2 bad usage, 130 interrupted.</summary>
internal static class CliErrors
{
    /// <summary>Runs <paramref name="run"/>; <paramref name="settingsByCommand"/> gives each command's settings
    /// type, to name the option whose value could not be converted.</summary>
    public static int Run(Func<int> run, string[] args, IReadOnlyDictionary<string, Type> settingsByCommand)
    {
        bool verbose = args.Contains("--verbose") || args.Contains("-v");
        try
        {
            return run();
        }
        catch (CommandParseException e)
        {
            Console.Error.WriteLine($"glow: {e.Message}");
            Console.Error.WriteLine("Run 'glow --help' or 'glow <command> --help' for usage.");
            return 2;
        }
        catch (CommandRuntimeException e) when (e.InnerException is not null && args.Length > 0
            && settingsByCommand.TryGetValue(args[0], out var settings)
            && OptionValues.ExplainUnconvertible(args, settings) is string explained)
        {
            Console.Error.WriteLine($"glow: {explained}");
            return 2;
        }
        catch (Exception e) when (e is CommandRuntimeException or UsageException)
        {
            Console.Error.WriteLine($"glow: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            // Said of any command, and a training may stop before its first checkpoint: never claim one exists.
            Console.Error.WriteLine("glow: interrupted. Checkpoints written before now are intact; 'glow train' resumes "
                + "from the latest, if there is one.");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(
                $"glow: {(GlowML.Native.TorchNative.IsNativeLoadFailure(e) ? GlowML.Native.TorchNative.Explain(e) : FirstLine(e))}");
            if (e.InnerException is not null && !e.Message.Contains(e.InnerException.Message, StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"  cause: {e.InnerException.Message.Split('\n')[0]}");
            }

            if (verbose)
            {
                Console.Error.WriteLine(e.ToString());
            }
            else
            {
                Console.Error.WriteLine("  (run with --verbose for the stack trace)");
            }

            return 1;
        }
    }

    // libtorch appends its C++ frames to messages; they belong to --verbose only.
    private static string FirstLine(Exception e) => string.Join('\n', e.Message.Split('\n')
        .TakeWhile(l => !l.StartsWith("Exception raised from", StringComparison.Ordinal)
            && !l.TrimStart().StartsWith("frame #", StringComparison.Ordinal))).TrimEnd();
}
