namespace GlowML.Ood;

/// <summary>
/// Scores of one method on the in-distribution set and on one out-of-distribution set; the input of
/// <see cref="OodEvaluation.Evaluate"/> and <see cref="OodReport.Write"/>. Larger score = more out of distribution.
/// </summary>
/// <param name="OutSet">Name of the out-set, e.g. <c>mnist</c>, <c>constant</c>, <c>noise</c>.</param>
/// <param name="Method">Name of the score, e.g. <see cref="OodScores.LikelihoodMethod"/> or
/// <c>OodScores.ComplexityMethod("png")</c>.</param>
/// <param name="InScores">The method's score of each in-distribution image, [N_in].</param>
/// <param name="OutScores">The method's score of each out-of-distribution image, [N_out].</param>
public sealed record OodScoreSet(string OutSet, string Method, float[] InScores, float[] OutScores);
