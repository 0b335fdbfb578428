using GlowML.Training;
using Spectre.Console;

namespace GlowML.Cli;

/// <summary>Renders training progress: a progress bar with it/s, bits/dim and ETA on a terminal, plain lines
/// otherwise (logs, CI, pipes).</summary>
internal sealed class ConsoleReporter : ITrainingObserver
{
    private ProgressContext? _context;
    private ProgressTask? _task;
    private int _taskEpoch;

    /// <summary>Whether a live progress bar can be drawn.</summary>
    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="work"/> under a progress display when interactive.</summary>
    public T Run<T>(Func<T> work)
    {
        if (!Interactive)
        {
            return work();
        }

        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _context = context;
                return work();
            });
    }

    public void OnStep(StepReport report)
    {
        if (_context is null)
        {
            Console.WriteLine(TrainingText.Step(report));
            return;
        }

        if (_task is null || _taskEpoch != report.Epoch)
        {
            _task = _context.AddTask($"epoch {report.Epoch}", maxValue: report.StepsPerEpoch);
            _taskEpoch = report.Epoch;
        }

        _task.MaxValue = report.StepsPerEpoch;
        _task.Value = report.Step;
        _task.Description = Markup.Escape(
            $"epoch {report.Epoch} | {report.BitsPerDim:F3} bits/dim | {report.StepsPerSecond:F1} it/s");
    }

    public void OnEpoch(EpochRecord record)
    {
        _task?.StopTask();
        _task = null;
        Line(TrainingText.Epoch(record));
    }

    public void OnMessage(string message) => Line(message);

    private void Line(string text)
    {
        if (_context is null)
        {
            Console.WriteLine(text);
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(text));
        }
    }
}
