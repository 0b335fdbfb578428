namespace GlowML.Ood;

/// <summary>
/// The input-complexity score of Serra et al. (ICLR 2020), S(x) = bpd(x) - L(x): large S means out of distribution.
/// Also the method names reports use, so that the CLI, the transformer and the report agree.
/// </summary>
public static class OodScores
{
    /// <summary>Name of the plain likelihood method: the score is bpd, -log-likelihood per dimension in bits.</summary>
    public const string LikelihoodMethod = "-log-likelihood";

    /// <summary>Name of the complexity-corrected method for an estimator: <c>S (png)</c>, <c>S (webp)</c>.</summary>
    public static string ComplexityMethod(string estimatorName) => $"S ({estimatorName})";

    /// <summary>S = bpd - L for each image.</summary>
    /// <param name="bitsPerDim">The model's bits per dimension, [B].</param>
    /// <param name="complexity">L(x) in bits per dimension from an <see cref="IComplexityEstimator"/>, [B].</param>
    /// <returns>S, [B].</returns>
    public static float[] Score(float[] bitsPerDim, double[] complexity)
    {
        ArgumentNullException.ThrowIfNull(bitsPerDim);
        ArgumentNullException.ThrowIfNull(complexity);
        if (bitsPerDim.Length != complexity.Length)
        {
            throw new ArgumentException(
                $"S = bpd - L needs one complexity per image: {bitsPerDim.Length} bpd values, " +
                $"{complexity.Length} complexity values.", nameof(complexity));
        }

        var scores = new float[bitsPerDim.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = (float)(bitsPerDim[i] - complexity[i]);
        }

        return scores;
    }
}
