using GlowML.Model;
using GlowML.Onnx;
using GlowML.Tests.Flows;
using GlowML.Tests.Onnx;
using GlowML.Tests.Ood;
using SkiaSharp;

namespace GlowML.Tests.Samples;

/// <summary>
/// What the sample tests feed the samples: a folder of 5 Fashion-MNIST and 5 MNIST PNGs, a tiny Fashion-MNIST
/// release file and its ONNX export.
/// </summary>
public sealed class SampleAppsFixture : IDisposable
{
    private readonly TestPaths.TempFolder _folder = TestPaths.NewTempFolder();

    public SampleAppsFixture()
    {
        Images = Path.Combine(_folder.Path, "images");
        Directory.CreateDirectory(Images);
        var names = new List<string>();
        var sources = new[] { ("fashion", OodTestData.FashionMnistTest), ("mnist", OodTestData.MnistTest) };
        foreach (var (prefix, path) in sources)
        {
            using var set = OodTestData.ReadIdxImages(path, 5);
            for (int i = 0; i < 5; i++)
            {
                var name = $"{prefix}-{i}.png";
                WriteGreyPng(OodTestData.ImageBytes(set, i), Path.Combine(Images, name));
                names.Add(name);
            }
        }

        ImageNames = names;
        var architecture = TinyModels.Architecture(1, 28, 28, blocks: 2, flows: 2);
        using var model = OnnxTestData.Model(architecture, OnnxTestData.FashionMnist(64), seed: 5);
        Release = Path.Combine(_folder.Path, "tiny.release.glow");
        GlowModelFile.Save(model, Release, new Dictionary<string, string> { ["epoch"] = "1" }, kind: "release");
        Export = Path.Combine(_folder.Path, "onnx");
        GlowOnnxExporter.Export(model, Export);
    }

    /// <summary>The image folder.</summary>
    public string Images { get; }

    /// <summary>File names in <see cref="Images"/>.</summary>
    public IReadOnlyList<string> ImageNames { get; }

    /// <summary>A tiny 1x28x28 release file.</summary>
    public string Release { get; }

    /// <summary>The release's ONNX export folder (score.onnx, sample.onnx).</summary>
    public string Export { get; }

    /// <summary>A fresh path inside the fixture's temporary folder.</summary>
    public string NewPath(string name) => Path.Combine(_folder.Path, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    public void Dispose() => _folder.Dispose();

    private static void WriteGreyPng(byte[] pixels, string path)
    {
        var info = new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
