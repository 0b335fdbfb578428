using GlowML.Data;
using GlowML.Model;
using GlowML.Onnx;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace GlowML.Benchmarks;

/// <summary>Real images, models and exported graphs the benchmarks share.</summary>
public static class BenchmarkData
{
    /// <summary>Images used for the data-dependent ActNorm initialisation.</summary>
    public const int InitializationImages = 64;

    /// <summary>The Fashion-MNIST training images file.</summary>
    public static string FashionMnistImages =>
        Path.Combine(SuiteSettings.DataDirectory, "fashion-mnist", "train-images-idx3-ubyte.gz");

    /// <summary>The CIFAR-10 JPEG training folder (one subfolder per class).</summary>
    public static string CifarFolder => Path.Combine(SuiteSettings.DataDirectory, "cifar10-jpg", "train");

    /// <summary>The first <paramref name="count"/> real images, uint8 [N, C, H, W], of CIFAR-10 (a seeded random
    /// pick, decoded from JPEG) or of Fashion-MNIST.</summary>
    public static ImageSet RealImages(bool cifar, int count)
    {
        if (!cifar)
        {
            return IdxReader.ReadImages(FashionMnistImages, count);
        }

        var images = ImageFolderReader.Read(CifarFolder, new ImageFolderOptions { MaxImages = count, Seed = 0 });
        if (images.Count < count || images.Channels != 3 || images.Height != 32 || images.Width != 32)
        {
            throw new InvalidDataException($"'{CifarFolder}' gave {images.Count} images of "
                + $"{images.Channels}x{images.Height}x{images.Width}; expected {count} of 3x32x32.");
        }

        return images;
    }

    /// <summary>
    /// A randomly initialised model (seed 1) whose ActNorms were initialised on one batch of real images, as the
    /// first training step would do, returned in evaluation mode.
    /// </summary>
    public static GlowModel CreateModel(SuiteCase suiteCase)
    {
        var architecture = suiteCase.Architecture ?? throw new ArgumentException(
            $"Benchmark case '{suiteCase.Name}' has no model architecture.", nameof(suiteCase));
        var model = new GlowModel(architecture, seed: 1);
        using var images = RealImages(suiteCase.UsesCifar, InitializationImages);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            model.forward(BatchLoader.ToFloat(images.Pixels, architecture.PixelDepth));
        }

        model.eval();
        return model;
    }

    /// <summary>Planar pixels value / 255 [N, C, H, W], as the ONNX scorer takes them.</summary>
    public static float[] Pixels(ImageSet images)
    {
        using var scope = NewDisposeScope();
        return images.Pixels.to(ScalarType.Float32).div(255f).contiguous().data<float>().ToArray();
    }

    /// <summary>Exports <paramref name="model"/> to a fresh temporary folder and returns the folder.</summary>
    public static string ExportOnnx(GlowModel model)
    {
        var folder = Path.Combine(Path.GetTempPath(), "glowml-bench-" + Guid.NewGuid().ToString("N"));
        GlowOnnxExporter.Export(model, folder);
        return folder;
    }

    /// <summary>ONNX Runtime session options with the suite's thread count and full graph optimisation.</summary>
    public static SessionOptions OnnxOptions() => new()
    {
        IntraOpNumThreads = SuiteSettings.Threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>Deletes a folder made by <see cref="ExportOnnx"/>, ignoring one that is already gone.</summary>
    public static void DeleteFolder(string? folder)
    {
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
