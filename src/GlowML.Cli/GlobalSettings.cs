using System.ComponentModel;
using GlowML.Experiments;
using Spectre.Console.Cli;

namespace GlowML.Cli;

/// <summary>Options every command takes.</summary>
public class GlobalSettings : CheckedSettings
{
    /// <summary>The experiment to act on.</summary>
    [CommandOption("--experiment-name <NAME>")]
    [Description("Name of the experiment (a folder under --experiments-path).")]
    public string? ExperimentName { get; init; }

    /// <summary>Where experiments live.</summary>
    [CommandOption("--experiments-path <DIR>")]
    [Description("Folder holding experiments. Default: experiments")]
    [DefaultValue("experiments")]
    public string ExperimentsPath { get; init; } = "experiments";

    /// <summary>Where data sets live.</summary>
    [CommandOption("--data-path <DIR>")]
    [Description("Folder the config's data paths are relative to. Default: data")]
    [DefaultValue("data")]
    public string DataPath { get; init; } = "data";

    /// <summary>Show stack traces on errors.</summary>
    [CommandOption("-v|--verbose")]
    [Description("Print stack traces with errors.")]
    public bool Verbose { get; init; }

    /// <summary>The experiment name, or a usage error when it is missing or cannot name a folder.</summary>
    public string RequireName() => string.IsNullOrWhiteSpace(ExperimentName)
        ? throw new UsageException("--experiment-name is required for this command.")
        : !Experiment.IsUsableName(ExperimentName)
            ? throw new UsageException($"--experiment-name '{ExperimentName}' is not usable: it names a folder under "
                + "--experiments-path, so use letters, digits, '-' or '_' (no '/', not '.' or '..').")
        : ExperimentName;

    /// <summary>Opens the named experiment.</summary>
    public Experiment OpenExperiment() => Experiment.Open(ExperimentsPath, RequireName());
}
