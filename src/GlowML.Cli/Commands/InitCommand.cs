using System.ComponentModel;
using GlowML.Experiments;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow init</c>: validates a config with the JSON schema and creates the experiment folder.</summary>
public sealed class InitCommand : Command<InitCommand.Settings>
{
    /// <summary>Options of <c>glow init</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>The config file.</summary>
        [CommandOption("--config-path <FILE>")]
        [Description("The experiment's JSON config (see configs/).")]
        public string? ConfigPath { get; init; }

        /// <summary>A schema other than the built-in one.</summary>
        [CommandOption("--config-schema-path <FILE>")]
        [Description("Validate with this JSON schema instead of the built-in one.")]
        public string? SchemaPath { get; init; }

        /// <summary>Overrides training.seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed for weights, data order and noise (overrides training.seed).")]
        public int? Seed { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var configPath = settings.ConfigPath ?? throw new UsageException("--config-path is required.");
        var experiment = Experiment.Create(settings.ExperimentsPath, settings.RequireName(), configPath,
            settings.SchemaPath, settings.Seed);
        Console.WriteLine($"created experiment '{experiment.Name}' in {experiment.Directory}");
        return 0;
    }
}
