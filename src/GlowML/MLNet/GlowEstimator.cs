using GlowML.Data;
using GlowML.Model;
using GlowML.Training;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace GlowML.MLNet;

/// <summary>
/// Fits a Glow model on a column of images with the same engine as <c>glow train</c>, yielding a
/// <see cref="GlowTransformer"/> that scores bits/dim and log-likelihood. Create it with
/// <c>mlContext.Transforms.Glow(...)</c>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Needs</term><description>A known-size float vector column, planar [C, H, W] (LoadImages ->
/// ResizeImages -> ExtractPixels), in [0, 1] (scaleImage 1/255) or 0..255 (<see cref="Options.InputRange"/>).
/// A vector without [C, H, W] dimensions needs <see cref="Options.Channels"/>, Height and Width.</description></item>
/// <item><term>Output</term><description>BitsPerDim and LogLikelihood (float); opt-in Latent, Complexity (PNG or
/// WebP bits/dim) and OodScore (BitsPerDim - Complexity).</description></item>
/// <item><term>Trains with</term><description><see cref="GlowTrainer"/>; progress goes to MLContext.Log.</description></item>
/// <item><term>ONNX export</term><description>Yes, of the fitted model (GlowOnnxExporter).</description></item>
/// <item><term>GPU</term><description>Options.Device = "cuda" with a CUDA TorchSharp backend.</description></item>
/// </list>
/// </remarks>
public sealed class GlowEstimator : IEstimator<GlowTransformer>
{
    private readonly IHostEnvironment? _environment;
    private readonly Options _options;

    /// <summary>Creates the estimator; prefer the catalog extension <c>mlContext.Transforms.Glow</c>.</summary>
    public GlowEstimator(MLContext context, Options options) : this((IHostEnvironment)context, options)
    {
        ArgumentNullException.ThrowIfNull(context);
    }

    internal GlowEstimator(IHostEnvironment? environment, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Training.Validate();
        // Column names and the estimator name are checked now, not after an epoch of training.
        options.Columns.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>Everything the estimator can be told. Defaults train one epoch of a small model (2 levels of 8
    /// steps, 64 filters) at batch 64 and learning rate 1e-3.</summary>
    public sealed class Options
    {
        /// <summary>The input column: a float vector, planar [C, H, W]. Default "Pixels".</summary>
        public string InputColumnName { get; set; } = "Pixels";

        /// <summary>Output column of bits per dimension. Default "BitsPerDim".</summary>
        public string BitsPerDimColumnName { get; set; } = "BitsPerDim";

        /// <summary>Output column of the log-likelihood in nats. Default "LogLikelihood".</summary>
        public string LogLikelihoodColumnName { get; set; } = "LogLikelihood";

        /// <summary>Output column of the latent vector; null (the default) leaves it out.</summary>
        public string? LatentColumnName { get; set; }

        /// <summary>Output column of the input complexity L(x) in bits per dimension (float): the lossless code
        /// length of the 8-bit image the model sees. Null (the default) leaves it out.</summary>
        public string? ComplexityColumnName { get; set; }

        /// <summary>Output column of the out-of-distribution score S(x) = bits/dim - L(x) (float, Serra et al.
        /// 2020; higher is less like the training data). Null (the default) leaves it out.</summary>
        public string? OodScoreColumnName { get; set; }

        /// <summary>Compressor for L(x): "png" (default) or "webp".</summary>
        public string ComplexityEstimator { get; set; } = Ood.ComplexityEstimators.Default;

        /// <summary>Range of the input values. Default: [0, 1].</summary>
        public PixelRange InputRange { get; set; } = PixelRange.UnitInterval;

        /// <summary>Channels, when the vector column does not declare [C, H, W].</summary>
        public int? Channels { get; set; }

        /// <summary>Height, when the vector column does not declare [C, H, W].</summary>
        public int? Height { get; set; }

        /// <summary>Width, when the vector column does not declare [C, H, W].</summary>
        public int? Width { get; set; }

        /// <summary>The flow (the config's model group); its image shape is taken from the data.</summary>
        public GlowArchitecture Model { get; set; } = new() { NumBlocks = 2, NumFlows = 8, NumFilters = 64 };

        /// <summary>Training settings: epochs, batch size, learning rate, warmup, early stopping, seed.</summary>
        public TrainingOptions Training { get; set; } = new()
        {
            MaxEpochs = 1, BatchSize = 64, LearningRate = 1e-3, WarmupSteps = 100, LogPeriod = 50,
        };

        /// <summary>"cpu", "cuda" or "cuda:N". Default "cpu".</summary>
        public string Device { get; set; } = "cpu";

        /// <summary>Data scored after each epoch for learning-rate reduction and early stopping (optional).</summary>
        public IDataView? ValidationData { get; set; }

        /// <summary>Rows per forward pass when the transformer scores (at least 32 is sensible). Default 64.</summary>
        public int ScoringBatchSize { get; set; } = 64;

        internal GlowColumns Columns => new()
        {
            Input = InputColumnName,
            BitsPerDim = BitsPerDimColumnName,
            LogLikelihood = LogLikelihoodColumnName,
            Latent = LatentColumnName,
            Complexity = ComplexityColumnName,
            OodScore = OodScoreColumnName,
            ComplexityEstimator = ComplexityEstimator,
        };
    }

    /// <inheritdoc />
    public GlowTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = ImageShape(input.Schema);
        var device = DeviceParser.Parse(_options.Device);
        using var train = ReadImages(input, shape);
        using var validation = _options.ValidationData is IDataView v ? ReadImages(v, shape) : null;
        var architecture = _options.Model with { Channels = shape[0], Height = shape[1], Width = shape[2] };
        var model = new GlowModel(architecture, _options.Training.Seed);
        var log = _environment is null ? null : new MLContextObserver(_environment);
        log?.OnMessage($"fitting Glow on {train.Count} images [{shape[0]}, {shape[1]}, {shape[2]}]");
        using (var trainer = new GlowTrainer(model, _options.Training, device, log))
        {
            trainer.Fit(train, validation);
            trainer.ApplyAveragedWeights();
        }

        model.to(TorchSharp.torch.CPU);
        return new GlowTransformer(model, _options.Columns, _options.InputRange, _options.ScoringBatchSize);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = GlowSchema.FromShape(inputSchema);
        var column = inputSchema.FirstOrDefault(c => c.Name == _options.InputColumnName);
        if (column.Name is null)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Input column '{_options.InputColumnName}' was not found.");
        }

        bool isImage = column.Kind == SchemaShape.Column.VectorKind.Scalar
            && column.ItemType is Microsoft.ML.Transforms.Image.ImageDataViewType;
        bool isPixels = column.Kind == SchemaShape.Column.VectorKind.Vector
            && column.ItemType == Microsoft.ML.Data.NumberDataViewType.Single;
        if (!isImage && !isPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{_options.InputColumnName}' is "
                + $"{column.Kind} of {column.ItemType}; Glow needs a known-size vector of Single, planar [C, H, W], "
                + "or an image column.");
        }

        int dimensions = (_options.Channels ?? 1) * (_options.Height ?? 1) * (_options.Width ?? 1);
        return GlowSchema.ToShape(GlowSchema.Output(schema, _options.Columns, Math.Max(dimensions, 1)));
    }

    private int[] ImageShape(Microsoft.ML.DataViewSchema schema)
    {
        if (schema.GetColumnOrNull(_options.InputColumnName)?.Type is Microsoft.ML.Transforms.Image.ImageDataViewType image)
        {
            int height = image.Height != 0 ? image.Height : _options.Height ?? 0;
            int width = image.Width != 0 ? image.Width : _options.Width ?? 0;
            int channels = _options.Channels ?? 3;
            if (height < 1 || width < 1 || channels is not (1 or 3))
            {
                throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{_options.InputColumnName}' holds "
                    + $"{image} of unknown size: resize the images (ResizeImages) or set Options.Height and Width; "
                    + "Options.Channels must be 1 or 3.");
            }

            return new[] { channels, height, width };
        }

        var vector = GlowSchema.RequireFloatVector(schema, _options.InputColumnName);
        int[] shape = GlowSchema.ShapeOf(vector)
            ?? (_options.Channels is int c && _options.Height is int h && _options.Width is int w
                ? new[] { c, h, w }
                : throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{_options.InputColumnName}' is "
                    + $"{vector} without [C, H, W] dimensions: set Options.Channels, Height and Width."));
        if (shape[0] * shape[1] * shape[2] != vector.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{_options.InputColumnName}' holds "
                + $"{vector.Size} values, not {shape[0]}x{shape[1]}x{shape[2]}.");
        }

        return shape;
    }

    private ImageSet ReadImages(IDataView data, int[] shape) =>
        DataViewImages.ToImageSet(data, _options.InputColumnName, shape[0], shape[1], shape[2],
            _options.InputRange == PixelRange.Bytes);
}
