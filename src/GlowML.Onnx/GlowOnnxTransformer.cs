using GlowML.Ood;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.Onnx;

/// <summary>
/// The fitted <see cref="GlowOnnxEstimator"/>: adds bits-per-dimension and log-likelihood columns computed by a
/// GlowML score.onnx, and when asked the input complexity L(x) and S(x) = bits/dim - L(x), scoring rows in batches
/// as a cursor moves over them. Dispose it to free the ONNX session.
/// </summary>
public sealed class GlowOnnxTransformer : ITransformer, IDisposable
{
    internal GlowOnnxTransformer(GlowOnnxOptions options)
    {
        Options = options;
        ComplexityEstimator = options.NeedsComplexity ? ComplexityEstimators.Create(options.ComplexityEstimator) : null;
        Scorer = new OnnxGlowScorer(options.ModelPath, batchSize: options.BatchSize);
    }

    /// <summary>The scorer running the ONNX graph.</summary>
    public OnnxGlowScorer Scorer { get; }

    internal GlowOnnxOptions Options { get; }

    /// <summary>The compressor behind the complexity and OOD-score columns, or null when neither is asked for.
    /// </summary>
    public IComplexityEstimator? ComplexityEstimator { get; }

    /// <summary>False: scoring is batched over a cursor, so there is no per-row mapper (no PredictionEngine; use
    /// <see cref="OnnxGlowScorer.Score"/> for single images).</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The input schema plus the Single score columns (which hide input columns of the same names):
    /// bits/dim, log-likelihood, then complexity and OOD score when asked for.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = inputSchema.GetColumnOrNull(Options.InputColumnName) ?? throw new ArgumentException(
            $"The input has no column '{Options.InputColumnName}' of pixels; it has "
            + $"{string.Join(", ", inputSchema.Where(c => !c.IsHidden).Select(c => c.Name))}.", nameof(inputSchema));
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"Column '{column.Name}' must be a vector of Single pixels, got {column.Type}.",
                nameof(inputSchema));
        }

        if (vector.Size != 0 && vector.Size != Scorer.Dimensions)
        {
            throw new ArgumentException($"Column '{column.Name}' holds {vector.Size} values per row, but the model "
                + $"'{Scorer.ScorePath}' expects {Scorer.Channels}x{Scorer.Height}x{Scorer.Width} = "
                + $"{Scorer.Dimensions} (C x H x W, planar).", nameof(inputSchema));
        }

        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var name in Options.OutputColumnNames)
        {
            builder.AddColumn(name, NumberDataViewType.Single);
        }
        return builder.ToSchema();
    }

    /// <summary>A lazy view that scores <paramref name="input"/> as it is read.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new GlowOnnxDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>Not supported: scoring runs over whole batches of a cursor.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("GlowOnnxTransformer scores rows in batches and has no row-to-row mapper, so "
            + "it cannot back a PredictionEngine; call OnnxGlowScorer.Score for single images.");

    /// <summary>Not supported: ML.NET's model loader registry is internal to ML.NET.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("GlowOnnxTransformer cannot be saved with mlContext.Model.Save; keep the "
            + $"score.onnx ('{Options.ModelPath}') and rebuild it with mlContext.Transforms.GlowOnnx(...).");

    /// <inheritdoc />
    public void Dispose() => Scorer.Dispose();
}
