using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.Onnx;

/// <summary>
/// Scores images with a GlowML score.onnx through ONNX Runtime, in batches, adding a bits-per-dimension and a
/// log-likelihood column, and on request input-complexity and out-of-distribution-score columns. Fitting learns
/// nothing; it loads the model and checks the input column.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Input</term><description>a vector of Single, C*H*W planar pixels, value / 255 (ExtractPixels
/// with scale 1/255 after ResizeImages)</description></item>
/// <item><term>Output</term><description>two Single columns (default BitsPerDim, LogLikelihood); opt-in Single
/// columns for the complexity L(x) (PNG or WebP bits/dim) and S(x) = bits/dim - L(x)</description></item>
/// <item><term>Needs</term><description>ONNX Runtime only; no TorchSharp or libtorch</description></item>
/// <item><term>Exports to ONNX</term><description>it is ONNX: the score graph is the model</description></item>
/// <item><term>Hardware</term><description>CPU by default; ONNX Runtime execution providers through
/// <see cref="OnnxGlowScorer"/></description></item>
/// <item><term>Saving</term><description>not through mlContext.Model.Save (ML.NET keeps its loader registry
/// internal): keep the score.onnx path and rebuild the estimator</description></item>
/// </list>
/// </remarks>
public sealed class GlowOnnxEstimator : IEstimator<GlowOnnxTransformer>
{
    private readonly GlowOnnxOptions _options;

    /// <summary>Creates the estimator; the options are checked now, the model file when fitting.</summary>
    public GlowOnnxEstimator(GlowOnnxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = new GlowOnnxOptions
        {
            ModelPath = options.ModelPath,
            InputColumnName = options.InputColumnName,
            BitsPerDimColumnName = options.BitsPerDimColumnName,
            LogLikelihoodColumnName = options.LogLikelihoodColumnName,
            BatchSize = options.BatchSize,
            ComplexityColumnName = options.ComplexityColumnName,
            OodScoreColumnName = options.OodScoreColumnName,
            ComplexityEstimator = options.ComplexityEstimator,
        };
    }

    /// <summary>Loads the model and checks <paramref name="input"/>'s pixel column against it.</summary>
    public GlowOnnxTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new GlowOnnxTransformer(_options);
        try
        {
            transformer.GetOutputSchema(input.Schema);
        }
        catch
        {
            transformer.Dispose();
            throw;
        }

        return transformer;
    }

    /// <summary>The input columns plus the Single score columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        // A later column of the same name hides an earlier one.
        var found = inputSchema.LastOrDefault(c => c.Name == _options.InputColumnName);
        if (found.Name is null)
        {
            throw new ArgumentException($"The input has no column '{_options.InputColumnName}' of pixels; it has "
                + $"{string.Join(", ", inputSchema.Select(c => c.Name))}.", nameof(inputSchema));
        }

        if (found.Kind == SchemaShape.Column.VectorKind.Scalar || found.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"Column '{_options.InputColumnName}' must be a vector of Single pixels, "
                + $"got {found.Kind} of {found.ItemType}.", nameof(inputSchema));
        }

        // ML.NET keeps the SchemaShape.Column constructor internal; a custom mapping's schema propagation is the
        // public way to describe two new Single columns with our names.
        var output = SchemaDefinition.Create(typeof(ScoreColumns));
        output[nameof(ScoreColumns.BitsPerDim)].ColumnName = _options.BitsPerDimColumnName;
        output[nameof(ScoreColumns.LogLikelihood)].ColumnName = _options.LogLikelihoodColumnName;
        Name(nameof(ScoreColumns.Complexity), _options.ComplexityColumnName);
        Name(nameof(ScoreColumns.OodScore), _options.OodScoreColumnName);
        var shaper = new MLContext().Transforms.CustomMapping<NoColumns, ScoreColumns>((_, _) => { }, null,
            outputSchemaDefinition: output);
        return shaper.GetOutputSchema(inputSchema);

        // An optional column left out of the definition is left out of the mapping's output.
        void Name(string member, string? column)
        {
            if (column is null)
            {
                output.Remove(output[member]);
            }
            else
            {
                output[member].ColumnName = column;
            }
        }
    }

    /// <summary>Input type of the schema-only mapping: needs no column.</summary>
    private sealed class NoColumns
    {
    }

    /// <summary>Output type of the schema-only mapping.</summary>
    private sealed class ScoreColumns
    {
        public float BitsPerDim { get; set; }

        public float LogLikelihood { get; set; }

        public float Complexity { get; set; }

        public float OodScore { get; set; }
    }
}
