namespace GlowML.Experiments;

/// <summary>What <c>glow quickstart</c> produced.</summary>
/// <param name="Directory">The folder holding everything below.</param>
/// <param name="TestBitsPerDim">Bits/dim on the held-out Fashion-MNIST images.</param>
/// <param name="SamplesPath">The sample grid PNG.</param>
/// <param name="ReleasePath">The release file.</param>
/// <param name="OnnxDirectory">The ONNX export (score.onnx, sample.onnx).</param>
/// <param name="ReportDirectory">The OOD report (report.md, report.json, plots).</param>
/// <param name="Aurocs">AUROC per (out-set, method), e.g. ("mnist", "S (png)") -> 0.99.</param>
public sealed record QuickstartResult(string Directory, double TestBitsPerDim, string SamplesPath, string ReleasePath,
    string OnnxDirectory, string ReportDirectory, IReadOnlyDictionary<(string OutSet, string Method), double> Aurocs);
