using GlowML.Cli;
using GlowML.Cli.Commands;
using Spectre.Console.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C asks the running command to stop after its current step; a second one kills the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

// Each command's settings type, so that an option value Spectre cannot convert is reported by option name.
var settingsByCommand = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
var app = new CommandApp();
app.Configure(c =>
{
    c.SetApplicationName("glow");
    c.SetApplicationVersion(GlowML.Model.GlowVersion.Current);
    c.PropagateExceptions();
    // A misspelt option must be an error, never silently ignored.
    c.Settings.StrictParsing = true;
    Add<QuickstartCommand>(c, "quickstart",
        "Train, test, sample, release, export and OOD-score a Glow on embedded data, in minutes.");
    Add<InitCommand>(c, "init", "Create an experiment from a JSON config validated by a schema.");
    Add<TrainCommand>(c, "train", "Train, resuming from the latest checkpoint (or --epoch N).");
    Add<TestCommand>(c, "test", "Test-set bits/dim and a sample grid PNG for one epoch.");
    Add<InfoCommand>(c, "info", "Show the config and every checkpoint and release.");
    Add<TensorBoardCommand>(c, "tensorboard", "Start TensorBoard on the experiment's logs.");
    Add<CreateReleaseCommand>(c, "create-release", "Write a release file with only what inference needs.");
    Add<SampleCommand>(c, "sample", "Sample images from a checkpoint or release into a PNG.");
    Add<OodCommand>(c, "ood",
        "Out-of-distribution metrics (bpd and S = bpd - L) against other data sets, with a report.");
    Add<ExportOnnxCommand>(c, "export-onnx", "Export score.onnx and sample.onnx (opset 17).");
});

return CliErrors.Run(() => app.Run(args, cancellation.Token), args, settingsByCommand);

void Add<TCommand>(IConfigurator configurator, string name, string description)
    where TCommand : class, ICommand
{
    configurator.AddCommand<TCommand>(name).WithDescription(description);
    for (var type = typeof(TCommand); type is not null; type = type.BaseType)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Command<>))
        {
            settingsByCommand[name] = type.GetGenericArguments()[0];
        }
    }
}
