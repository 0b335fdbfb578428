using GlowML.Model;
using GlowML.Onnx;
using GlowML.Tests.Flows;

namespace GlowML.Tests.Onnx;

/// <summary>One tiny Fashion-MNIST model exported once and shared by the scorer and ML.NET tests.</summary>
public sealed class ExportedModelFixture : IDisposable
{
    public ExportedModelFixture()
    {
        Architecture = TinyModels.Architecture(1, 28, 28, blocks: 2, flows: 2);
        Pixels = OnnxTestData.FashionMnist(128);
        Model = OnnxTestData.Model(Architecture, Pixels, seed: 21);
        Directory = OnnxTestData.TempDir();
        Files = GlowOnnxExporter.Export(Model, Directory, new Dictionary<string, string> { ["epoch"] = "3" });
        Expected = OnnxTestData.Torch(Model, Pixels);
    }

    public GlowArchitecture Architecture { get; }

    /// <summary>The first 128 Fashion-MNIST test images, value / 255, [128, 1, 28, 28].</summary>
    public float[] Pixels { get; }

    public GlowModel Model { get; }

    public string Directory { get; }

    public GlowOnnxFiles Files { get; }

    /// <summary>TorchSharp's results on <see cref="Pixels"/>.</summary>
    public (float[] BitsPerDim, float[] LogLikelihood, float[] Latent) Expected { get; }

    public void Dispose()
    {
        Model.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
