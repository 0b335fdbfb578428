using System.Globalization;
using GlowML.Ood;
using Microsoft.ML.OnnxRuntime;

namespace GlowML.Onnx;

/// <summary>
/// Scores images with a GlowML score.onnx (and samples with sample.onnx) through ONNX Runtime alone: no TorchSharp
/// or libtorch. Pixels are planar [B, C, H, W] floats, value / 255, as ML.NET's ExtractPixels gives them with
/// scale 1/255; the graph quantises them exactly as GlowML's TorchSharp evaluation does.
/// </summary>
/// <remarks>
/// Thread safety: Score, Sample and Decode may run concurrently (ONNX Runtime sessions allow it).
/// </remarks>
public sealed class OnnxGlowScorer : IDisposable
{
    /// <summary>Images per ONNX Runtime call unless set otherwise.</summary>
    public const int DefaultBatchSize = 64;

    private static readonly string[] ScoreOutputs = { "bits_per_dim", "log_likelihood", "latent" };
    private static readonly string[] RequiredKeys =
        { "glowml_graph", "glowml_version", "channels", "height", "width", "pixel_depth", "latent_dimensions" };

    private readonly InferenceSession _score;
    private readonly InferenceSession? _sample;
    private readonly int _batchSize;
    private int _scoreRuns;

    /// <summary>
    /// Loads <paramref name="scorePath"/> (a GlowML score.onnx) and, when given, <paramref name="samplePath"/> (the
    /// matching sample.onnx). Files that are not GlowML graphs are refused with a message naming them.
    /// </summary>
    /// <param name="scorePath">The score graph.</param>
    /// <param name="samplePath">The sample graph, or null to score only.</param>
    /// <param name="batchSize">Images per ONNX Runtime call (1 to 65536); bounds the memory one call needs.</param>
    /// <param name="options">ONNX Runtime session options (threads, execution providers), or null for defaults.</param>
    public OnnxGlowScorer(string scorePath, string? samplePath = null, int batchSize = DefaultBatchSize,
        SessionOptions? options = null)
    {
        if (batchSize is < 1 or > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be 1 to 65536.");
        }

        _batchSize = batchSize;
        _score = Open(scorePath, "score", options);
        try
        {
            Metadata = _score.ModelMetadata.CustomMetadataMap;
            Channels = ReadInt(scorePath, "channels");
            Height = ReadInt(scorePath, "height");
            Width = ReadInt(scorePath, "width");
            PixelDepth = ReadInt(scorePath, "pixel_depth");
            CheckNames(scorePath, "input", _score.InputNames, new[] { "pixels" });
            CheckNames(scorePath, "output", _score.OutputNames, ScoreOutputs);
            if (samplePath is not null)
            {
                _sample = Open(samplePath, "sample", options);
                var sampleMeta = _sample.ModelMetadata.CustomMetadataMap;
                foreach (var key in new[] { "channels", "height", "width", "latent_dimensions" })
                {
                    if (sampleMeta[key] != Metadata[key])
                    {
                        throw new InvalidDataException($"'{samplePath}' does not match '{scorePath}': its {key} is "
                            + $"{sampleMeta[key]}, the score graph's is {Metadata[key]}.");
                    }
                }

                CheckNames(samplePath, "input", _sample.InputNames, new[] { "latent" });
                CheckNames(samplePath, "output", _sample.OutputNames, new[] { "pixels" });
            }
        }
        catch
        {
            _score.Dispose();
            _sample?.Dispose();
            throw;
        }

        ScorePath = scorePath;
        SamplePath = samplePath;
    }

    /// <summary>Loads score.onnx, and sample.onnx when present, from <paramref name="directory"/>.</summary>
    public static OnnxGlowScorer FromDirectory(string directory, int batchSize = DefaultBatchSize,
        SessionOptions? options = null)
    {
        var sample = Path.Combine(directory, "sample.onnx");
        return new OnnxGlowScorer(Path.Combine(directory, "score.onnx"), File.Exists(sample) ? sample : null,
            batchSize, options);
    }

    /// <summary>The score graph's file.</summary>
    public string ScorePath { get; }

    /// <summary>The sample graph's file, or null.</summary>
    public string? SamplePath { get; }

    /// <summary>Every metadata entry of the score graph (glowml_version, config, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Image channels C.</summary>
    public int Channels { get; }

    /// <summary>Image height H.</summary>
    public int Height { get; }

    /// <summary>Image width W.</summary>
    public int Width { get; }

    /// <summary>Bits per colour value the model was trained on.</summary>
    public int PixelDepth { get; }

    /// <summary>Dimensions D = C * H * W of one image, and of its latent.</summary>
    public int Dimensions => Channels * Height * Width;

    /// <summary>The GlowML version that exported the model.</summary>
    public string GlowMLVersion => Metadata["glowml_version"];

    /// <summary>ONNX Runtime calls of the score graph so far (tests check the batching with it).</summary>
    internal int ScoreRuns => Volatile.Read(ref _scoreRuns);

    /// <summary>Whether a sample graph was loaded.</summary>
    public bool CanSample => _sample is not null;

    /// <summary>
    /// Scores <paramref name="count"/> images given as planar pixels [count, C, H, W] (value / 255), running ONNX
    /// Runtime on batches of the configured size. With a <paramref name="complexity"/> estimator (PngComplexity,
    /// WebpComplexity) it also gives L(x) of the 8-bit images round(value * 255) and S(x) = bpd - L(x).
    /// </summary>
    public OnnxGlowScores Score(float[] pixels, int count, IComplexityEstimator? complexity = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Score at least one image.");
        }

        if (pixels.LongLength != (long)count * Dimensions)
        {
            throw new ArgumentException($"The model in '{ScorePath}' expects pixels [{count}, {Channels}, {Height}, "
                + $"{Width}] = {(long)count * Dimensions} floats for {count} images, got {pixels.LongLength}.",
                nameof(pixels));
        }

        var bitsPerDim = new float[count];
        var logLikelihood = new float[count];
        var latent = new float[(long)count * Dimensions];
        for (int start = 0; start < count; start += _batchSize)
        {
            int batch = Math.Min(_batchSize, count - start);
            var slice = pixels.AsMemory(start * Dimensions, batch * Dimensions);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, slice,
                new long[] { batch, Channels, Height, Width });
            using var runOptions = new RunOptions();
            Interlocked.Increment(ref _scoreRuns);
            using var outputs = _score.Run(runOptions, new[] { "pixels" }, new[] { input }, ScoreOutputs);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(bitsPerDim.AsSpan(start, batch));
            outputs[1].GetTensorDataAsSpan<float>().CopyTo(logLikelihood.AsSpan(start, batch));
            outputs[2].GetTensorDataAsSpan<float>().CopyTo(latent.AsSpan(start * Dimensions, batch * Dimensions));
        }

        var scores = new OnnxGlowScores(count, bitsPerDim, logLikelihood, latent);
        if (complexity is null)
        {
            return scores;
        }

        var inputComplexity = complexity.BitsPerDimension(pixels, 255f, count, Channels, Height, Width);
        return scores with
        {
            Complexity = Array.ConvertAll(inputComplexity, l => (float)l),
            OodScore = OodScores.Score(bitsPerDim, inputComplexity),
        };
    }

    /// <summary>Latents [count, D] (standardised, already multiplied by any temperature) -> pixels [count, C, H, W]
    /// in [0, 1].</summary>
    public float[] Decode(float[] latent, int count)
    {
        ArgumentNullException.ThrowIfNull(latent);
        var sample = _sample ?? throw new InvalidOperationException(
            $"No sample graph was loaded with '{ScorePath}': pass sample.onnx to decode or sample.");
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Decode at least one latent.");
        }

        if (latent.LongLength != (long)count * Dimensions)
        {
            throw new ArgumentException($"The model in '{SamplePath}' expects latents [{count}, {Dimensions}] = "
                + $"{(long)count * Dimensions} floats for {count} images, got {latent.LongLength}.", nameof(latent));
        }

        var pixels = new float[(long)count * Dimensions];
        for (int start = 0; start < count; start += _batchSize)
        {
            int batch = Math.Min(_batchSize, count - start);
            var slice = latent.AsMemory(start * Dimensions, batch * Dimensions);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, slice,
                new long[] { batch, Dimensions });
            using var runOptions = new RunOptions();
            using var outputs = sample.Run(runOptions, new[] { "latent" }, new[] { input }, new[] { "pixels" });
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(pixels.AsSpan(start * Dimensions, batch * Dimensions));
        }

        return pixels;
    }

    /// <summary>
    /// Draws <paramref name="count"/> images [count, C, H, W] in [0, 1]: standard normal latents from
    /// <paramref name="seed"/>, scaled by <paramref name="temperature"/> (0 gives the prior means, 1 the model).
    /// </summary>
    public float[] Sample(int count, float temperature = 1f, int seed = 0)
    {
        if (!(temperature >= 0) || float.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature,
                "The temperature must be a finite number >= 0.");
        }

        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Sample at least one image.");
        }

        var random = new Random(seed);
        var latent = new float[(long)count * Dimensions];
        for (long i = 0; i < latent.LongLength; i++)
        {
            latent[i] = temperature * (float)StandardNormal(random);
        }

        return Decode(latent, count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _score.Dispose();
        _sample?.Dispose();
    }

    private static InferenceSession Open(string path, string graph, SessionOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The ONNX model '{path}' does not exist.", path);
        }

        InferenceSession session;
        try
        {
            session = options is null ? new InferenceSession(path) : new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"'{path}' is not a GlowML {graph} graph: ONNX Runtime cannot load it "
                + $"({e.Message.Trim()}).", e);
        }

        var metadata = session.ModelMetadata.CustomMetadataMap;
        var missing = RequiredKeys.Where(k => !metadata.ContainsKey(k)).ToArray();
        if (missing.Length > 0 || metadata["glowml_graph"] != graph)
        {
            session.Dispose();
            string found = metadata.TryGetValue("glowml_graph", out var kind) ? $"a GlowML {kind} graph"
                : $"an ONNX model without GlowML metadata (missing {string.Join(", ", missing)})";
            throw new InvalidDataException($"'{path}' is not a GlowML {graph} graph: it is {found}. "
                + $"Export one with `glow export-onnx` or GlowOnnxExporter.Export.");
        }

        return session;
    }

    private int ReadInt(string path, string key)
    {
        if (!int.TryParse(Metadata[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            || value < 1)
        {
            throw new InvalidDataException(
                $"'{path}' has metadata {key} = '{Metadata[key]}'; expected a positive integer.");
        }

        return value;
    }

    private static void CheckNames(string path, string what, IReadOnlyList<string> actual, string[] expected)
    {
        var missing = expected.Where(name => !actual.Contains(name)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"'{path}' lacks the {what}(s) {string.Join(", ", missing)}; it has "
                + $"{string.Join(", ", actual)}.");
        }
    }

    // Box-Muller; one of the pair is dropped, which costs little next to a flow's forward pass.
    private static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
