namespace GlowML.Ood;

/// <summary>
/// What <c>glow ood</c> evaluates: an in-distribution DATASET against out-of-distribution DATASETs (the syntax is
/// <see cref="DatasetSpec"/>'s), the complexity estimators for S = bpd - L, and where the report goes. Defaults keep
/// a CPU run to a minute or two.
/// </summary>
public sealed record OodRequest
{
    /// <summary>The value of <see cref="Complexity"/> that selects every estimator.</summary>
    public const string AllEstimators = "all";

    /// <summary>The in-distribution DATASET, e.g. <c>fashion-mnist</c>.</summary>
    public required string InSet { get; init; }

    /// <summary>The out-of-distribution DATASETs, at least one, each at most once, e.g. <c>mnist</c>,
    /// <c>constant</c>, <c>noise</c>.</summary>
    public required IReadOnlyList<string> OutSets { get; init; }

    /// <summary>Folder the report files are written into (created if missing).</summary>
    public required string ReportDirectory { get; init; }

    /// <summary>Complexity estimator for S: <c>png</c>, <c>webp</c> or <c>all</c> (both). Default png.</summary>
    public string Complexity { get; init; } = ComplexityEstimators.Default;

    /// <summary>At most this many images per set (synthetic sets get as many as the in-set). Default 2000.</summary>
    public int Count { get; init; } = 2000;

    /// <summary>Folder the built-in data set names are resolved under. Default <c>data</c>.</summary>
    public string DataPath { get; init; } = "data";

    /// <summary>Seed of the synthetic sets and of the picks from image folders. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Images per scoring batch (&gt;= 1). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The estimators <see cref="Complexity"/> names, in <see cref="ComplexityEstimators.Names"/> order for
    /// <c>all</c>.</summary>
    /// <exception cref="ArgumentException">The name is none of png, webp, all.</exception>
    public IReadOnlyList<IComplexityEstimator> CreateEstimators()
    {
        ArgumentNullException.ThrowIfNull(Complexity);
        if (string.Equals(Complexity.Trim(), AllEstimators, StringComparison.OrdinalIgnoreCase))
        {
            return ComplexityEstimators.Names.Select(ComplexityEstimators.Create).ToList();
        }

        try
        {
            return [ComplexityEstimators.Create(Complexity)];
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"Complexity '{Complexity}' is unknown; valid values: "
                + $"{string.Join(", ", ComplexityEstimators.Names)}, {AllEstimators}.");
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first property that cannot work.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(InSet), nameof(InSet), "an in-distribution DATASET is required");
        Require(OutSets is { Count: > 0 }, nameof(OutSets), "at least one out-of-distribution DATASET is required");
        Require(OutSets.All(s => !string.IsNullOrWhiteSpace(s)), nameof(OutSets), "an out-set DATASET is empty");
        var repeated = OutSets.GroupBy(s => s.Trim(), StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault(g => g.Count() > 1);
        Require(repeated is null, nameof(OutSets), $"out-set '{repeated?.Key}' is given more than once");
        Require(!string.IsNullOrWhiteSpace(ReportDirectory), nameof(ReportDirectory), "a report folder is required");
        Require(Count >= 1, nameof(Count), $"must be at least 1, got {Count}");
        Require(BatchSize >= 1, nameof(BatchSize), $"must be at least 1, got {BatchSize}");
        Require(DataPath is not null, nameof(DataPath), "must not be null");
        CreateEstimators();
    }

    private static void Require(bool condition, string property, string problem)
    {
        if (!condition)
        {
            // The message names the property already, so no parameter suffix is appended to it.
            throw new ArgumentException($"{nameof(OodRequest)}.{property}: {problem}.");
        }
    }
}
