namespace GlowML.Ood;

/// <summary>Creates complexity estimators by name (the <c>--complexity</c> option's values).</summary>
public static class ComplexityEstimators
{
    /// <summary>The name of the default estimator, PNG.</summary>
    public const string Default = PngComplexity.EstimatorName;

    /// <summary>Valid names, default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [PngComplexity.EstimatorName, WebpComplexity.EstimatorName];

    /// <summary>The estimator called <paramref name="name"/> (case-insensitive): <c>png</c> or <c>webp</c>.</summary>
    /// <exception cref="ArgumentException">The name is none of <see cref="Names"/>.</exception>
    public static IComplexityEstimator Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            PngComplexity.EstimatorName => new PngComplexity(),
            WebpComplexity.EstimatorName => new WebpComplexity(),
            _ => throw new ArgumentException(
                $"Unknown complexity estimator '{name}'; valid values: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
