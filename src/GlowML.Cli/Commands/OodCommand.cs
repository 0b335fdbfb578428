using System.ComponentModel;
using System.Globalization;
using GlowML.Model;
using GlowML.Ood;
using GlowML.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GlowML.Cli.Commands;

/// <summary><c>glow ood</c>: out-of-distribution detection metrics of a release or checkpoint, with a report.
/// </summary>
public sealed class OodCommand : Command<OodCommand.Settings>
{
    /// <summary>Options of <c>glow ood</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>A release file.</summary>
        [CommandOption("--release <FILE>")]
        [Description("Evaluate this release file.")]
        public string? Release { get; init; }

        /// <summary>The epoch.</summary>
        [CommandOption("--epoch <N>")]
        [Description("Evaluate this checkpoint of --experiment-name instead.")]
        [OptionRange(1)]
        public int? Epoch { get; init; }

        /// <summary>The in-distribution set.</summary>
        [CommandOption("--in <DATASET>")]
        [Description("The in-distribution set. " + DatasetSpec.Syntax)]
        public string? InSet { get; init; }

        /// <summary>The out-of-distribution sets.</summary>
        [CommandOption("--out <DATASET>")]
        [Description("An out-of-distribution set, same syntax as --in; repeat for several, e.g. "
            + "--out mnist --out constant --out noise.")]
        public string[] OutSets { get; init; } = [];

        /// <summary>The complexity estimator.</summary>
        [CommandOption("--complexity <NAME>")]
        [Description("Compressor for S = bpd - L: png, webp or all. Default: png")]
        [DefaultValue("png")]
        public string Complexity { get; init; } = ComplexityEstimators.Default;

        /// <summary>Images per set.</summary>
        [CommandOption("--count <N>")]
        [Description("At most N images per set (the first N; a seeded pick from image folders). Default: 2000")]
        [DefaultValue(2000)]
        [OptionRange(1)]
        public int Count { get; init; } = 2000;

        /// <summary>The report folder.</summary>
        [CommandOption("--report <DIR>")]
        [Description("Folder for report.md, report.json and the ROC and histogram PNGs.")]
        public string? Report { get; init; }

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of the synthetic sets and of folder picks. Default: 0")]
        public int Seed { get; init; }

        /// <summary>Batch size.</summary>
        [CommandOption("--batch-size <N>")]
        [Description("Images per scoring batch. Default: 64")]
        [DefaultValue(64)]
        [OptionRange(1)]
        public int BatchSize { get; init; } = 64;

        /// <inheritdoc />
        protected override ValidationResult ValidateOptions() =>
            (Epoch is null) == (Release is null)
                ? ValidationResult.Error("Give exactly one of --epoch N or --release FILE.")
            : string.IsNullOrWhiteSpace(InSet) ? ValidationResult.Error("--in DATASET is required.")
            : OutSets.Length == 0 ? ValidationResult.Error("At least one --out DATASET is required.")
            : Repeated(OutSets) is string twice ? ValidationResult.Error($"--out {twice} is given more than once.")
            : string.IsNullOrWhiteSpace(Report) ? ValidationResult.Error("--report DIR is required.")
            : !IsComplexity(Complexity) ? ValidationResult.Error(
                $"--complexity must be {string.Join(", ", ComplexityEstimators.Names)} or {OodRequest.AllEstimators}, "
                + $"not '{Complexity}'.")
            : ValidationResult.Success();

        private static string? Repeated(IEnumerable<string> specs) =>
            specs.GroupBy(s => s.Trim(), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;

        private static bool IsComplexity(string name) =>
            ComplexityEstimators.Names.Append(OodRequest.AllEstimators)
                .Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var request = new OodRequest
        {
            InSet = settings.InSet!,
            OutSets = settings.OutSets,
            ReportDirectory = settings.Report!,
            Complexity = settings.Complexity,
            Count = settings.Count,
            DataPath = settings.DataPath,
            Seed = settings.Seed,
            BatchSize = settings.BatchSize,
        };
        try
        {
            request.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        var (model, source) = settings.Release is string release
            ? (GlowModelFile.Load(release).Model, release)
            : LoadCheckpoint(settings);
        using (model)
        {
            Console.WriteLine($"model: {source}");
            var evaluation = OodEvaluationRunner.Run(model, request, Console.WriteLine);
            AnsiConsole.Write(Table(evaluation));
        }

        Console.WriteLine($"report: {Path.Combine(settings.Report!, OodReport.MarkdownFile)}");
        return 0;
    }

    private static (GlowModel Model, string Source) LoadCheckpoint(Settings settings)
    {
        var path = settings.OpenExperiment().RequireCheckpoint(settings.Epoch!.Value);
        return (CheckpointFile.Load(path).Model, path);
    }

    private static Table Table(OodEvaluation evaluation)
    {
        var table = new Table().Title($"in-set: {Markup.Escape(evaluation.InSet)}")
            .AddColumns("out-set", "method", "AUROC", "AUPRC", "FPR@95%TPR");
        foreach (var outSet in evaluation.OutSets)
        {
            foreach (var method in outSet.Methods)
            {
                var m = method.Metrics;
                table.AddRow(Markup.Escape(outSet.OutSet), Markup.Escape(method.Method), F(m.Auroc), F(m.Auprc),
                    F(m.FprAt95Tpr));
            }
        }

        return table;
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
