using System.Diagnostics;
using System.Globalization;
using GlowML.Model;
using GlowML.Training;

namespace GlowML.Ood;

/// <summary>
/// The out-of-distribution evaluation behind <c>glow ood</c>: scores an in-distribution set and each out-set with a
/// Glow model (bits per dimension at bin centres, the "-log-likelihood" method) and with S = bpd - L for each
/// complexity estimator (Serra et al., ICLR 2020), then writes <see cref="OodReport"/>'s files. The CLI only parses
/// arguments and prints; tests and the quickstart call this directly.
/// </summary>
public static class OodEvaluationRunner
{
    /// <summary>Loads the request's data sets, evaluates them and writes the report (see
    /// <see cref="Run(GlowModel, NamedImageSet, IReadOnlyList{NamedImageSet}, IReadOnlyList{IComplexityEstimator},
    /// string, int, Action{string})"/>).</summary>
    /// <param name="model">The model; its architecture fixes the image shape every set must have.</param>
    /// <param name="request">The sets, estimators, counts and report folder.</param>
    /// <param name="log">Receives one line per loaded and scored set.</param>
    public static OodEvaluation Run(GlowModel model, OodRequest request, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var estimators = request.CreateEstimators();
        var shape = model.Architecture;
        var sets = new List<NamedImageSet>();
        try
        {
            var inSet = DatasetSpec.Load(request.InSet, request.DataPath, shape, request.Count, request.Seed);
            sets.Add(inSet);
            log?.Invoke(Loaded(inSet, "in"));
            foreach (var spec in request.OutSets)
            {
                // Synthetic sets match the in-set's size so that both classes weigh the same in AUPRC.
                int count = DatasetSpec.IsSynthetic(spec) ? (int)inSet.Images.Count : request.Count;
                var outSet = DatasetSpec.Load(spec, request.DataPath, shape, count, request.Seed);
                sets.Add(outSet);
                log?.Invoke(Loaded(outSet, "out"));
            }

            return Run(model, inSet, sets.Skip(1).ToList(), estimators, request.ReportDirectory, request.BatchSize,
                log);
        }
        finally
        {
            foreach (var set in sets)
            {
                set.Dispose();
            }
        }
    }

    /// <summary>Scores the sets (see <see cref="Score"/>) and writes report.md, report.json, ROC and histogram PNGs
    /// into <paramref name="reportDirectory"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="inSet">The in-distribution images, uint8 [N_in, C, H, W].</param>
    /// <param name="outSets">The out-of-distribution sets, uint8 [N_out, C, H, W] each, with distinct names.</param>
    /// <param name="estimators">Complexity estimators for S = bpd - L, at least one, distinct names.</param>
    /// <param name="reportDirectory">The report folder (created if missing; same-named files are replaced).</param>
    /// <param name="batchSize">Images per scoring batch.</param>
    /// <param name="log">Receives one line per scored set.</param>
    /// <returns>The metrics of every (out-set, method), as written to report.json.</returns>
    public static OodEvaluation Run(GlowModel model, NamedImageSet inSet, IReadOnlyList<NamedImageSet> outSets,
        IReadOnlyList<IComplexityEstimator> estimators, string reportDirectory, int batchSize,
        Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reportDirectory);
        var scores = Score(model, inSet, outSets, estimators, batchSize, log);
        return OodReport.Write(reportDirectory, inSet.Name, scores);
    }

    /// <summary>
    /// The per-image scores of every (out-set, method): <see cref="OodScores.LikelihoodMethod"/> is the model's
    /// bits per dimension at bin centres; <c>S (name)</c> is bpd - L with L from that estimator on the same 8-bit
    /// images. Larger means more out of distribution. Out-sets in the given order, the likelihood method first, then
    /// the estimators in the given order.
    /// </summary>
    /// <exception cref="ArgumentException">A set is empty or not at the model's [C, H, W], two out-sets share a
    /// name, or the estimators are missing or repeated.</exception>
    public static IReadOnlyList<OodScoreSet> Score(GlowModel model, NamedImageSet inSet,
        IReadOnlyList<NamedImageSet> outSets, IReadOnlyList<IComplexityEstimator> estimators, int batchSize,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inSet);
        ArgumentNullException.ThrowIfNull(outSets);
        ArgumentNullException.ThrowIfNull(estimators);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        CheckInputs(model.Architecture, inSet, outSets, estimators);

        var inScores = ScoreSet(model, inSet, estimators, batchSize, log);
        var result = new List<OodScoreSet>();
        foreach (var outSet in outSets)
        {
            var outScores = ScoreSet(model, outSet, estimators, batchSize, log);
            result.Add(new OodScoreSet(outSet.Name, OodScores.LikelihoodMethod, inScores.Bpd, outScores.Bpd));
            for (int e = 0; e < estimators.Count; e++)
            {
                result.Add(new OodScoreSet(outSet.Name, OodScores.ComplexityMethod(estimators[e].Name),
                    inScores.S[e], outScores.S[e]));
            }
        }

        return result;
    }

    private static (float[] Bpd, float[][] S) ScoreSet(GlowModel model, NamedImageSet set,
        IReadOnlyList<IComplexityEstimator> estimators, int batchSize, Action<string>? log)
    {
        var clock = Stopwatch.StartNew();
        var bpd = Evaluation.BitsPerDim(model, set.Images, batchSize, model.TopMean.device);
        double likelihoodSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var s = estimators.Select(e => OodScores.Score(bpd, e.BitsPerDimension(set.Images.Pixels))).ToArray();
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"scored {set.Name}: {bpd.Length} images, mean {bpd.Average(b => (double)b):F3} bits/dim "
            + $"({likelihoodSeconds:F1} s), complexity in {clock.Elapsed.TotalSeconds:F1} s"));
        return (bpd, s);
    }

    private static void CheckInputs(GlowArchitecture shape, NamedImageSet inSet, IReadOnlyList<NamedImageSet> outSets,
        IReadOnlyList<IComplexityEstimator> estimators)
    {
        if (outSets.Count == 0)
        {
            throw new ArgumentException("An OOD evaluation needs at least one out-set, got none.", nameof(outSets));
        }

        if (estimators.Count == 0)
        {
            throw new ArgumentException(
                "An OOD evaluation needs at least one complexity estimator, got none.", nameof(estimators));
        }

        var repeatedEstimator = estimators.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeatedEstimator is not null)
        {
            throw new ArgumentException(
                $"Complexity estimator '{repeatedEstimator.Key}' is given more than once.", nameof(estimators));
        }

        var repeatedSet = outSets.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeatedSet is not null)
        {
            throw new ArgumentException($"Out-set name '{repeatedSet.Key}' is used more than once.", nameof(outSets));
        }

        foreach (var set in outSets.Prepend(inSet))
        {
            var images = set.Images;
            if (images.Count == 0 || images.Channels != shape.Channels || images.Height != shape.Height
                || images.Width != shape.Width)
            {
                throw new ArgumentException(
                    $"Set '{set.Name}' ({images.Source}) holds {images.Count} images [{images.Channels}, "
                    + $"{images.Height}, {images.Width}]; the model needs at least one image "
                    + $"[{shape.Channels}, {shape.Height}, {shape.Width}] ([C, H, W]).");
            }
        }
    }

    private static string Loaded(NamedImageSet set, string role) =>
        $"{role}-set {set.Name}: {set.Images.Count} images [{set.Images.Channels}, {set.Images.Height}, "
        + $"{set.Images.Width}] from {set.Images.Source}";
}
