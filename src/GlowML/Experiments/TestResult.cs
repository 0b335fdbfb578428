namespace GlowML.Experiments;

/// <summary>What <c>glow test</c> measured.</summary>
/// <param name="Epoch">The checkpoint's epoch.</param>
/// <param name="BitsPerDim">Mean bits/dim over the test (validation) split at bin centres.</param>
/// <param name="Images">Images scored.</param>
/// <param name="SamplesPath">The sample grid PNG.</param>
/// <param name="ReportPath">The JSON file with these numbers.</param>
public sealed record TestResult(int Epoch, double BitsPerDim, long Images, string SamplesPath, string ReportPath);
