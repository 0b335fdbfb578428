namespace GlowML.Onnx;

/// <summary>The two ONNX graphs <see cref="GlowOnnxExporter.Export"/> writes.</summary>
/// <param name="ScorePath">score.onnx: pixels [N, C, H, W] -> bits_per_dim [N], log_likelihood [N],
/// latent [N, C*H*W].</param>
/// <param name="SamplePath">sample.onnx: latent [N, C*H*W] -> pixels [N, C, H, W] in [0, 1].</param>
public sealed record GlowOnnxFiles(string ScorePath, string SamplePath);
