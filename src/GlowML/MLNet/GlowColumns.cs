using GlowML.Ood;

namespace GlowML.MLNet;

/// <summary>Names of the columns a Glow transformer reads and adds; a null optional name leaves that column out.</summary>
public sealed record GlowColumns
{
    /// <summary>The input: a known-size float vector, planar [C, H, W].</summary>
    public string Input { get; init; } = "Pixels";

    /// <summary>Output bits per dimension (float).</summary>
    public string BitsPerDim { get; init; } = "BitsPerDim";

    /// <summary>Output discrete log-likelihood in nats (float).</summary>
    public string LogLikelihood { get; init; } = "LogLikelihood";

    /// <summary>Optional output: the standardised latent, a float vector of C*H*W.</summary>
    public string? Latent { get; init; }

    /// <summary>Optional output: input complexity L(x) (float), the lossless code length of the 8-bit image the model
    /// sees, in bits per dimension, from <see cref="ComplexityEstimator"/>.</summary>
    public string? Complexity { get; init; }

    /// <summary>Optional output: the out-of-distribution score S(x) = BitsPerDim - L(x) of Serra et al. (float);
    /// higher means less like the training data. Needs no <see cref="Complexity"/> column, only its estimator.
    /// </summary>
    public string? OodScore { get; init; }

    /// <summary>The compressor behind <see cref="Complexity"/> and <see cref="OodScore"/>: <c>png</c> (default) or
    /// <c>webp</c> (<see cref="ComplexityEstimators.Names"/>).</summary>
    public string ComplexityEstimator { get; init; } = ComplexityEstimators.Default;

    /// <summary>Whether either complexity-based column is asked for.</summary>
    internal bool NeedsComplexity => Complexity is not null || OodScore is not null;

    /// <summary>The output column names in schema order: BitsPerDim, LogLikelihood, then the optional ones set.
    /// </summary>
    internal IEnumerable<string> Outputs()
    {
        yield return BitsPerDim;
        yield return LogLikelihood;
        foreach (var optional in new[] { Latent, Complexity, OodScore })
        {
            if (optional is not null)
            {
                yield return optional;
            }
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work: an empty name,
    /// two outputs of one name, or an unknown complexity estimator.</summary>
    internal void Validate()
    {
        foreach (var (setting, value) in new[]
                 {
                     (nameof(Input), Input), (nameof(BitsPerDim), BitsPerDim), (nameof(LogLikelihood), LogLikelihood),
                 })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"GlowColumns.{setting} must name a column; it is empty.");
            }
        }

        foreach (var (setting, value) in new[]
                 {
                     (nameof(Latent), Latent), (nameof(Complexity), Complexity), (nameof(OodScore), OodScore),
                 })
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException(
                    $"GlowColumns.{setting} must be null (no column) or a column name; it is empty.");
            }
        }

        var duplicate = Outputs().GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException(
                $"The Glow output columns need different names; '{duplicate.Key}' is used {duplicate.Count()} times.");
        }

        // Checked even when no complexity column is asked for, so that a misspelt name never passes silently.
        ComplexityEstimators.Create(ComplexityEstimator);
    }
}
