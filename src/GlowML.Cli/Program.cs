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

var app = new CommandApp();
app.Configure(c =>
{
    c.SetApplicationName("glow");
    c.SetApplicationVersion(GlowML.Model.GlowVersion.Current);
    c.PropagateExceptions();
    // A misspelt option must be an error, never silently ignored.
    c.Settings.StrictParsing = true;
    c.AddCommand<QuickstartCommand>("quickstart")
        .WithDescription("Train, test, sample, release, export and OOD-score a Glow on embedded data, in minutes.");
    c.AddCommand<InitCommand>("init").WithDescription("Create an experiment from a JSON config validated by a schema.");
    c.AddCommand<TrainCommand>("train").WithDescription("Train, resuming from the latest checkpoint (or --epoch N).");
    c.AddCommand<TestCommand>("test").WithDescription("Test-set bits/dim and a sample grid PNG for one epoch.");
    c.AddCommand<InfoCommand>("info").WithDescription("Show the config and every checkpoint and release.");
    c.AddCommand<TensorBoardCommand>("tensorboard").WithDescription("Start TensorBoard on the experiment's logs.");
    c.AddCommand<CreateReleaseCommand>("create-release")
        .WithDescription("Write a release file with only what inference needs.");
    c.AddCommand<SampleCommand>("sample").WithDescription("Sample images from a checkpoint or release into a PNG.");
    c.AddCommand<OodCommand>("ood")
        .WithDescription("Out-of-distribution metrics (bpd and S = bpd - L) against other data sets, with a report.");
    c.AddCommand<ExportOnnxCommand>("export-onnx").WithDescription("Export score.onnx and sample.onnx (opset 17).");
});

return CliErrors.Run(() => app.Run(args, cancellation.Token), args);
