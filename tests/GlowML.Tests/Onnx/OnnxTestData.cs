using System.IO.Compression;
using GlowML.Model;
using GlowML.Onnx;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;
using static TorchSharp.torch;

namespace GlowML.Tests.Onnx;

/// <summary>Small slices of the real data sets as value / 255 pixels, and helpers to run exported graphs.</summary>
internal static class OnnxTestData
{
    private static readonly string DataRoot = FindDataRoot();

    /// <summary>The first <paramref name="count"/> Fashion-MNIST test images, planar [count, 1, 28, 28].</summary>
    public static float[] FashionMnist(int count)
    {
        var path = Path.Combine(DataRoot, "fashion-mnist", "t10k-images-idx3-ubyte.gz");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        // IDX header: magic 0x00000803, count, rows, cols as big-endian int32; then one byte per pixel.
        var header = new byte[16];
        gzip.ReadExactly(header);
        if (header[2] != 0x08 || header[3] != 3)
        {
            throw new InvalidDataException($"'{path}' is not an IDX file of 3-D unsigned bytes.");
        }

        var bytes = new byte[count * 28 * 28];
        gzip.ReadExactly(bytes);
        return bytes.Select(b => b / 255f).ToArray();
    }

    /// <summary>The first <paramref name="count"/> CIFAR-10 test airplanes, planar RGB [count, 3, 32, 32].</summary>
    public static float[] Cifar(int count)
    {
        var folder = Path.Combine(DataRoot, "cifar10-jpg", "test", "airplane");
        var files = Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(count).ToArray();
        var pixels = new float[count * 3 * 32 * 32];
        for (int n = 0; n < files.Length; n++)
        {
            using var bitmap = SKBitmap.Decode(files[n])
                ?? throw new InvalidDataException($"'{files[n]}' could not be decoded.");
            for (int y = 0; y < 32; y++)
            {
                for (int x = 0; x < 32; x++)
                {
                    var colour = bitmap.GetPixel(x, y);
                    int offset = n * 3 * 1024 + y * 32 + x;
                    pixels[offset] = colour.Red / 255f;
                    pixels[offset + 1024] = colour.Green / 255f;
                    pixels[offset + 2048] = colour.Blue / 255f;
                }
            }
        }

        return pixels;
    }

    /// <summary>Real images matching <paramref name="a"/>: Fashion-MNIST for 1x28x28, CIFAR-10 for 3x32x32.</summary>
    public static float[] Images(GlowArchitecture a, int count) => (a.Channels, a.Height, a.Width) switch
    {
        (1, 28, 28) => FashionMnist(count),
        (3, 32, 32) => Cifar(count),
        _ => throw new ArgumentException($"No real data set of shape {a.Channels}x{a.Height}x{a.Width}."),
    };

    /// <summary>
    /// A tiny model with its ActNorms initialised on the real images it will score and every parameter nudged by
    /// Gaussian noise of <paramref name="scale"/>, so that every layer (zero convolutions and priors included)
    /// does something, while the model stays as well conditioned as a briefly trained one.
    /// </summary>
    public static GlowModel Model(GlowArchitecture a, float[] pixels, long seed, double scale = 0.02)
    {
        var model = new GlowModel(a, seed);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            long batch = pixels.Length / a.Dimensions;
            var x = Quantization.BinCentres(tensor(pixels, new[] { batch, a.Channels, a.Height, a.Width }),
                a.PixelDepth);
            model.forward(x);
            var generator = new Generator((ulong)seed + 1000);
            foreach (var p in model.parameters())
            {
                p.add_(randn(p.shape, generator: generator) * scale);
            }
        }

        model.eval();
        return model;
    }

    /// <summary>A fresh temporary directory for exported graphs.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "glowml-onnx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a one-input graph and returns every output by name.</summary>
    public static Dictionary<string, float[]> Run(string modelPath, string input, float[] data, params long[] shape)
    {
        using var session = new InferenceSession(modelPath);
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        var names = session.OutputNames.ToArray();
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, new[] { input }, new[] { value }, names);
        return names.Select((name, i) => (name, outputs[i].GetTensorDataAsSpan<float>().ToArray()))
            .ToDictionary(p => p.name, p => p.Item2);
    }

    /// <summary>TorchSharp's bits/dim, log-likelihood and flat latent for pixels (value / 255) [B, C, H, W].</summary>
    public static (float[] BitsPerDim, float[] LogLikelihood, float[] Latent) Torch(GlowModel model, float[] pixels)
    {
        var a = model.Architecture;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long batch = pixels.Length / a.Dimensions;
        var x = Quantization.BinCentres(tensor(pixels, new[] { batch, a.Channels, a.Height, a.Width }), a.PixelDepth);
        var encoding = model.Encode(x);
        var logLikelihood = encoding.LogDensity - a.Dimensions * Math.Log(Quantization.Levels(a.PixelDepth));
        return (model.BitsPerDim(x).data<float>().ToArray(), logLikelihood.data<float>().ToArray(),
            encoding.FlatNoise().contiguous().data<float>().ToArray());
    }

    /// <summary>The largest absolute difference between two arrays of the same length.</summary>
    public static double MaxAbsDiff(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.");
        }

        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    private static string FindDataRoot()
    {
        // ../shared/data relative to the repository root; walk up from the test binaries to find it.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "fashion-mnist")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new DirectoryNotFoundException(
            $"Could not find ../shared/data (with fashion-mnist) above {AppContext.BaseDirectory}.");
    }
}
