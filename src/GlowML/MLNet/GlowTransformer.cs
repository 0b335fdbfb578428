using System.Globalization;
using GlowML.Model;
using GlowML.Ood;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.MLNet;

/// <summary>
/// A fitted Glow model inside an ML.NET pipeline: adds <c>BitsPerDim</c> and <c>LogLikelihood</c> (and optionally
/// <c>Latent</c>, <c>Complexity</c> and <c>OodScore</c>) to each row, lazily and in batches; samples, encodes, decodes
/// and interpolates images.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Input</term><description>A known-size float vector column, planar [C, H, W] (ExtractPixels output),
/// in [0, 1] or 0..255 (<see cref="PixelRange"/>).</description></item>
/// <item><term>Output</term><description>BitsPerDim (float), LogLikelihood (float, nats), optional Latent
/// (vector of C*H*W floats), optional Complexity (float, bits/dim of the PNG or WebP of the 8-bit image) and
/// OodScore (float, BitsPerDim - Complexity, Serra et al. 2020).</description></item>
/// <item><term>Packages</term><description>GlowML, Microsoft.ML, a TorchSharp backend (TorchSharp-cpu by
/// default).</description></item>
/// <item><term>Saving</term><description><see cref="Save(string)"/> / <see cref="Load"/>; whole chains with
/// <c>mlContext.Model.SaveWithGlow</c>. ML.NET's own Model.Save cannot hold third-party transformers.</description></item>
/// <item><term>ONNX</term><description>Export the release model with GlowOnnxExporter.</description></item>
/// <item><term>GPU</term><description>Trains and scores on CUDA with a CUDA TorchSharp backend.</description></item>
/// </list>
/// Prediction engines are safe to use concurrently on one transformer: scoring is serialised per model.
/// </remarks>
public sealed class GlowTransformer : ITransformer, IDisposable
{
    private readonly GlowScorer _scorer;

    internal GlowTransformer(GlowModel model, GlowColumns columns, PixelRange range, int batchSize)
    {
        columns.Validate();
        _scorer = new GlowScorer(model, range);
        Columns = columns;
        BatchSize = Math.Max(batchSize, 1);
        ComplexityEstimator = columns.NeedsComplexity ? ComplexityEstimators.Create(columns.ComplexityEstimator) : null;
    }

    /// <summary>The trained model.</summary>
    public GlowModel Model => _scorer.Model;

    /// <summary>Column names read and written.</summary>
    public GlowColumns Columns { get; }

    /// <summary>Range of the input pixels.</summary>
    public PixelRange Range => _scorer.Range;

    /// <summary>Rows scored per forward pass in <see cref="Transform"/>.</summary>
    public int BatchSize { get; }

    /// <summary>The compressor behind the Complexity and OodScore columns, or null when neither is asked for.
    /// </summary>
    public IComplexityEstimator? ComplexityEstimator { get; }

    internal GlowScorer Scorer => _scorer;

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <summary>Wraps a model (for example a <c>glow create-release</c> file's) as a transformer.</summary>
    /// <exception cref="ArgumentException"><paramref name="columns"/> has an empty name, two outputs of one name or an
    /// unknown complexity estimator.</exception>
    public static GlowTransformer FromModel(GlowModel model, GlowColumns? columns = null,
        PixelRange range = PixelRange.UnitInterval, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new GlowTransformer(model, columns ?? new GlowColumns(), range, batchSize);
    }

    /// <summary>A transformer over the model in a release (or any GlowML model) file.</summary>
    public static GlowTransformer FromRelease(string path, GlowColumns? columns = null,
        PixelRange range = PixelRange.UnitInterval) => FromModel(GlowModelFile.Load(path).Model, columns, range);

    /// <summary>Saves the model with the column settings to one file.</summary>
    /// <remarks>The settings go into the model file's metadata as strings under <c>mlnet.*</c> keys; an optional
    /// column left out is stored as "". Files written before a key existed load with that column left out, so the
    /// keys need no version of their own.</remarks>
    public void Save(string path)
    {
        var metadata = new Dictionary<string, string>
        {
            ["mlnet.input"] = Columns.Input,
            ["mlnet.bits_per_dim"] = Columns.BitsPerDim,
            ["mlnet.log_likelihood"] = Columns.LogLikelihood,
            ["mlnet.latent"] = Columns.Latent ?? "",
            ["mlnet.complexity"] = Columns.Complexity ?? "",
            ["mlnet.ood_score"] = Columns.OodScore ?? "",
            ["mlnet.complexity_estimator"] = Columns.ComplexityEstimator,
            ["mlnet.range"] = Range.ToString(),
            ["mlnet.batch_size"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            ["glowml_version"] = GlowVersion.Current,
        };
        GlowModelFile.Save(Model, path, metadata, kind: "mlnet-transformer");
    }

    /// <summary>Loads a transformer saved by <see cref="Save(string)"/>, or wraps a plain model or release file
    /// with default column names.</summary>
    /// <exception cref="InvalidDataException">The file's column settings cannot work (for example an unknown
    /// complexity estimator).</exception>
    public static GlowTransformer Load(string path)
    {
        var (model, info) = GlowModelFile.Load(path);
        var m = info.Metadata;
        var columns = new GlowColumns
        {
            Input = m.GetValueOrDefault("mlnet.input", "Pixels"),
            BitsPerDim = m.GetValueOrDefault("mlnet.bits_per_dim", "BitsPerDim"),
            LogLikelihood = m.GetValueOrDefault("mlnet.log_likelihood", "LogLikelihood"),
            Latent = Optional(m, "mlnet.latent"),
            Complexity = Optional(m, "mlnet.complexity"),
            OodScore = Optional(m, "mlnet.ood_score"),
            ComplexityEstimator = m.GetValueOrDefault("mlnet.complexity_estimator", ComplexityEstimators.Default),
        };
        var range = Enum.TryParse<PixelRange>(m.GetValueOrDefault("mlnet.range", ""), out var r) ? r
            : PixelRange.UnitInterval;
        int batch = int.TryParse(m.GetValueOrDefault("mlnet.batch_size", ""), CultureInfo.InvariantCulture, out var b)
            ? b : 64;
        try
        {
            columns.Validate();
        }
        catch (ArgumentException e)
        {
            model.Dispose();
            throw new InvalidDataException($"'{path}' holds column settings (its mlnet.* metadata) that cannot work: "
                + e.Message, e);
        }

        return new GlowTransformer(model, columns, range, batch);
    }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        GlowSchema.CheckInput(inputSchema, Columns.Input, Model.Architecture);
        return GlowSchema.Output(inputSchema, Columns, Model.Dimensions);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new GlowDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        new GlowRowMapper(this, inputSchema, GetOutputSchema(inputSchema));

    /// <summary>ML.NET's model format is closed to third-party transformers: use
    /// <c>mlContext.Model.SaveWithGlow</c> or <see cref="Save(string)"/>.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "ML.NET's Model.Save cannot store a GlowTransformer (its save API is internal to ML.NET). Use "
        + "mlContext.Model.SaveWithGlow(model, schema, path) for a whole chain, or GlowTransformer.Save(path).");

    /// <summary>Scores images given as planar pixels back to back ([count, C, H, W]), in this transformer's range;
    /// Complexity and OodScore are filled in when this transformer has either column.</summary>
    public GlowScores Score(float[] pixels, int count, bool withLatent = false) =>
        _scorer.Score(pixels, count, withLatent, ComplexityEstimator);

    /// <summary>Draws <paramref name="count"/> images at <paramref name="temperature"/> from <paramref name="seed"/>.</summary>
    public GlowSamples Sample(int count, double temperature = 0.7, int seed = 0)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Sample at least one image.");
        }

        return ToSamples(_scorer.Decode(_scorer.Noise(count, seed), count, temperature), count);
    }

    /// <summary>The standardised latent [C*H*W] of one image (planar pixels in this transformer's range).</summary>
    public float[] Encode(float[] pixels) => _scorer.Score(pixels, 1, withLatent: true).Latent!;

    /// <summary>The image (planar, [0, 1]) of a latent from <see cref="Encode"/>.</summary>
    public float[] Decode(float[] latent, double temperature = 1.0) => _scorer.Decode(latent, 1, temperature);

    /// <summary>Encodes then decodes: the image as the model sees it (bin centres), within 1e-4.</summary>
    public float[] Reconstruct(float[] pixels) => Decode(Encode(pixels));

    /// <summary>Images along the straight line between the latents of <paramref name="from"/> and
    /// <paramref name="to"/>, both ends included (<paramref name="steps"/> &gt;= 2).</summary>
    public float[][] Interpolate(float[] from, float[] to, int steps)
    {
        if (steps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "Interpolate needs at least 2 steps.");
        }

        var a = Encode(from);
        var b = Encode(to);
        int d = _scorer.Dimensions;
        var latents = new float[steps * d];
        for (int s = 0; s < steps; s++)
        {
            float t = s / (float)(steps - 1);
            for (int i = 0; i < d; i++)
            {
                latents[s * d + i] = (1 - t) * a[i] + t * b[i];
            }
        }

        var images = _scorer.Decode(latents, steps, 1.0);
        return Enumerable.Range(0, steps).Select(s => images.AsSpan(s * d, d).ToArray()).ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _scorer.Dispose();

    private static string? Optional(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.GetValueOrDefault(key, "") is { Length: > 0 } name ? name : null;

    private GlowSamples ToSamples(float[] flat, int count)
    {
        int d = _scorer.Dimensions;
        var a = Model.Architecture;
        var pixels = Enumerable.Range(0, count).Select(i => flat.AsSpan(i * d, d).ToArray()).ToArray();
        var images = pixels.Select(p => PlanarImages.ToMLImage(p, a.Channels, a.Height, a.Width)).ToArray();
        return new GlowSamples(pixels, images);
    }
}
