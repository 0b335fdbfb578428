using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GlowML.Model;

namespace GlowML.Ood;

/// <summary>
/// Writes an out-of-distribution report into a folder: <c>report.md</c> (a table per out-set), <c>report.json</c>
/// (the numbers), <c>roc-OUTSET.png</c> (one ROC figure per out-set, every method) and
/// <c>hist-OUTSET-METHOD.png</c> (in and out score histograms per method). File names use a lower-case slug of
/// the out-set and method names. Every file is written atomically.
/// </summary>
public static class OodReport
{
    /// <summary>Name of the Markdown report.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>Name of the JSON report.</summary>
    public const string JsonFile = "report.json";

    // report.json layout, format_version 1:
    // { "format_version": 1, "in_set": string,
    //   "out_sets": [ { "out_set": string, "methods": [ { "method": string, "in_count": int, "out_count": int,
    //       "metrics": { "auroc", "auprc", "fpr_at_95_tpr", "threshold_at_95_tpr": number } } ] } ] }
    private const int FormatVersion = 1;
    private const string FormatVersionKey = "format_version";

    /// <summary>Evaluates <paramref name="scoreSets"/> and writes the report files into
    /// <paramref name="directory"/> (created if missing; files of the same names are replaced).</summary>
    /// <param name="directory">The report folder.</param>
    /// <param name="inSet">Name of the in-distribution set.</param>
    /// <param name="scoreSets">Scores per (out-set, method).</param>
    /// <returns>The evaluation written to <c>report.json</c>.</returns>
    public static OodEvaluation Write(string directory, string inSet, IReadOnlyList<OodScoreSet> scoreSets)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var evaluation = OodEvaluation.Evaluate(inSet, scoreSets);
        Directory.CreateDirectory(directory);

        var outSlugs = UniqueSlugs(evaluation.OutSets.Select(o => o.OutSet));
        var figures = new List<(string RocFile, List<string> HistogramFiles)>();
        for (int o = 0; o < evaluation.OutSets.Count; o++)
        {
            var outSet = evaluation.OutSets[o];
            var methods = outSet.Methods
                .Select(m => scoreSets.First(s => s.OutSet == outSet.OutSet && s.Method == m.Method))
                .ToList();
            string rocFile = $"roc-{outSlugs[o]}.png";
            WriteBytes(directory, rocFile, OodPlots.Roc(inSet, outSet.OutSet, methods, outSet.Methods));

            var methodSlugs = UniqueSlugs(outSet.Methods.Select(m => m.Method));
            var histogramFiles = new List<string>();
            for (int m = 0; m < methods.Count; m++)
            {
                string histogramFile = $"hist-{outSlugs[o]}-{methodSlugs[m]}.png";
                WriteBytes(directory, histogramFile, OodPlots.Histogram(inSet, methods[m], outSet.Methods[m]));
                histogramFiles.Add(histogramFile);
            }

            figures.Add((rocFile, histogramFiles));
        }

        WriteBytes(directory, JsonFile, Encoding.UTF8.GetBytes(ToJson(evaluation)));
        WriteBytes(directory, MarkdownFile, Encoding.UTF8.GetBytes(ToMarkdown(evaluation, figures)));
        return evaluation;
    }

    /// <summary>Reads a <c>report.json</c> written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not an OOD report of a known format version.</exception>
    public static OodEvaluation Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }

        var version = root?[FormatVersionKey]?.GetValueKind() == JsonValueKind.Number
            ? root[FormatVersionKey]!.GetValue<int>()
            : (int?)null;
        if (version != FormatVersion)
        {
            throw new InvalidDataException(
                $"{path}: field '{FormatVersionKey}' should be {FormatVersion}, got {version?.ToString() ?? "none"}.");
        }

        var evaluation = root!.Deserialize<OodEvaluation>(GlowJson.Options);
        if (evaluation?.InSet is null || evaluation.OutSets is null)
        {
            throw new InvalidDataException($"{path}: fields 'in_set' and 'out_sets' are required.");
        }

        return evaluation;
    }

    private static string ToJson(OodEvaluation evaluation)
    {
        var body = JsonSerializer.SerializeToNode(evaluation, GlowJson.Options)!.AsObject();
        var root = new JsonObject { [FormatVersionKey] = FormatVersion };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            root[key] = value;
        }

        return root.ToJsonString(GlowJson.Options);
    }

    private static string ToMarkdown(OodEvaluation evaluation,
        IReadOnlyList<(string RocFile, List<string> HistogramFiles)> figures)
    {
        var md = new StringBuilder();
        md.AppendLine("# Out-of-distribution report").AppendLine();
        md.AppendLine($"In-distribution set: `{evaluation.InSet}`.").AppendLine();
        md.AppendLine("Out-of-distribution is the positive class; a larger score means more out of distribution.")
            .AppendLine("`-log-likelihood` is the model's bits per dimension; `S (png)` and `S (webp)` subtract the")
            .AppendLine("input complexity (Serra et al., ICLR 2020). FPR at 95% TPR: the largest threshold that flags")
            .AppendLine("at least 95% of the out-set, and the share of the in-set flagged with it.").AppendLine();
        for (int o = 0; o < evaluation.OutSets.Count; o++)
        {
            var outSet = evaluation.OutSets[o];
            md.AppendLine($"## {outSet.OutSet}").AppendLine();
            md.AppendLine("| Method | AUROC | AUPRC | FPR at 95% TPR | Threshold | In images | Out images |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var m in outSet.Methods)
            {
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {m.Method} | {m.Metrics.Auroc:0.0000} | {m.Metrics.Auprc:0.0000} | " +
                    $"{m.Metrics.FprAt95Tpr:0.0000} | {m.Metrics.ThresholdAt95Tpr:0.####} | " +
                    $"{m.InCount} | {m.OutCount} |"));
            }

            md.AppendLine().AppendLine($"![ROC curves, {outSet.OutSet}]({figures[o].RocFile})").AppendLine();
            for (int m = 0; m < outSet.Methods.Count; m++)
            {
                var method = outSet.Methods[m].Method;
                md.AppendLine($"![{method} histogram, {outSet.OutSet}]({figures[o].HistogramFiles[m]})").AppendLine();
            }
        }

        return md.ToString();
    }

    private static void WriteBytes(string directory, string file, byte[] bytes) =>
        AtomicFile.Write(Path.Combine(directory, file), stream => stream.Write(bytes));

    /// <summary>File-name-safe lower-case slugs, made unique with a numeric suffix.</summary>
    internal static List<string> UniqueSlugs(IEnumerable<string> names)
    {
        var used = new HashSet<string>();
        var slugs = new List<string>();
        foreach (var name in names)
        {
            var slug = new StringBuilder();
            foreach (char c in name.ToLowerInvariant())
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    slug.Append(c);
                }
                else if (slug.Length > 0 && slug[^1] != '-')
                {
                    slug.Append('-');
                }
            }

            string baseSlug = slug.ToString().TrimEnd('-') is { Length: > 0 } s ? s : "set";
            string unique = baseSlug;
            for (int n = 2; !used.Add(unique); n++)
            {
                unique = $"{baseSlug}-{n}";
            }

            slugs.Add(unique);
        }

        return slugs;
    }
}
