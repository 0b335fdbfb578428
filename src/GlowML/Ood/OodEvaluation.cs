using System.Text.Json.Serialization;

namespace GlowML.Ood;

/// <summary>
/// An out-of-distribution evaluation: one in-distribution set against several out-sets, several methods each.
/// This is what <c>report.json</c> holds.
/// </summary>
/// <param name="InSet">Name of the in-distribution set.</param>
/// <param name="OutSets">Results per out-set, in the order the out-sets first appeared.</param>
public sealed record OodEvaluation(
    [property: JsonPropertyName("in_set")] string InSet,
    [property: JsonPropertyName("out_sets")] IReadOnlyList<OodOutSetResult> OutSets)
{
    /// <summary>Computes the metrics of every score set, grouped by out-set.</summary>
    /// <param name="inSet">Name of the in-distribution set.</param>
    /// <param name="scoreSets">Scores per (out-set, method); each pair at most once.</param>
    public static OodEvaluation Evaluate(string inSet, IEnumerable<OodScoreSet> scoreSets)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inSet);
        ArgumentNullException.ThrowIfNull(scoreSets);
        var sets = scoreSets.ToList();
        if (sets.Count == 0)
        {
            throw new ArgumentException("An OOD evaluation needs at least one score set, got none.", nameof(scoreSets));
        }

        var seen = new HashSet<(string, string)>();
        for (int i = 0; i < sets.Count; i++)
        {
            var set = sets[i] ?? throw new ArgumentException($"Score set {i} is null.", nameof(scoreSets));
            if (string.IsNullOrWhiteSpace(set.OutSet) || string.IsNullOrWhiteSpace(set.Method))
            {
                throw new ArgumentException(
                    $"Score set {i} needs an out-set and a method name, got '{set.OutSet}' and '{set.Method}'.",
                    nameof(scoreSets));
            }

            if (!seen.Add((set.OutSet, set.Method)))
            {
                throw new ArgumentException(
                    $"Score set {i} repeats out-set '{set.OutSet}' with method '{set.Method}'.", nameof(scoreSets));
            }
        }

        var outSets = sets
            .GroupBy(s => s.OutSet)
            .Select(group => new OodOutSetResult(group.Key, group
                .Select(s => new OodMethodResult(
                    s.Method, s.InScores.Length, s.OutScores.Length, OodMetrics.Compute(s.InScores, s.OutScores)))
                .ToList()))
            .ToList();
        return new OodEvaluation(inSet, outSets);
    }
}
