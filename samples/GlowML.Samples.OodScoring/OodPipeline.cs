using GlowML.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace GlowML.Samples.OodScoring;

/// <summary>
/// The ML.NET pipelines of the sample: image files -> LoadImages -> ResizeImages -> [ConvertToGrayscale] ->
/// ExtractPixels (value / 255, planar [C, H, W]) -> a Glow transformer that adds BitsPerDim, Complexity and OodScore.
/// </summary>
internal static class OodPipeline
{
    /// <summary>The column of image paths the pipelines start from.</summary>
    public const string PathColumn = "ImagePath";

    public const string ComplexityColumn = "Complexity";

    public const string OodScoreColumn = "OodScore";

    /// <summary>The image files of a folder, sorted by name, at most <paramref name="count"/> of them.</summary>
    public static string[] ImageFiles(string folder, int count)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Image folder '{folder}' does not exist.");
        }

        string[] extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];
        var files = Directory.EnumerateFiles(folder)
            .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .Take(count)
            .ToArray();
        return files.Length > 0 ? files : throw new InvalidDataException(
            $"Image folder '{folder}' holds no {string.Join("/", extensions)} files.");
    }

    /// <summary>Rows of image paths, under the column name <paramref name="pathColumn"/>.</summary>
    public static IDataView Rows(MLContext ml, IEnumerable<string> files, string pathColumn = PathColumn)
    {
        var schema = SchemaDefinition.Create(typeof(ImageFile));
        schema[nameof(ImageFile.ImagePath)].ColumnName = pathColumn;
        return ml.Data.LoadFromEnumerable(files.Select(f => new ImageFile { ImagePath = Path.GetFullPath(f) }), schema);
    }

    /// <summary>Image files to the float pixels a Glow model of shape [C, H, W] reads.</summary>
    public static IEstimator<ITransformer> Preprocessing(MLContext ml, int channels, int height, int width,
        string pixelsColumn)
    {
        IEstimator<ITransformer> pipeline = ml.Transforms.LoadImages("Image", imageFolder: "", PathColumn)
            .Append(ml.Transforms.ResizeImages("Image", width, height));
        if (channels == 1)
        {
            pipeline = pipeline.Append(ml.Transforms.ConvertToGrayscale("Image"));
        }

        // After ConvertToGrayscale red = green = blue, so the red plane is the grey image.
        var colours = channels == 1
            ? ImagePixelExtractingEstimator.ColorBits.Red
            : ImagePixelExtractingEstimator.ColorBits.Rgb;
        return pipeline.Append(ml.Transforms.ExtractPixels(pixelsColumn, "Image", colours, scaleImage: 1f / 255f));
    }

    /// <summary>The same Glow transformer with the Complexity and OodScore columns (sharing its model).</summary>
    public static GlowTransformer WithOodColumns(GlowTransformer glow, string estimator) =>
        GlowTransformer.FromModel(glow.Model, glow.Columns with
        {
            Complexity = glow.Columns.Complexity ?? ComplexityColumn,
            OodScore = glow.Columns.OodScore ?? OodScoreColumn,
            ComplexityEstimator = estimator,
        }, glow.Range, glow.BatchSize);

    /// <summary>A release (or any GlowML model file) behind the preprocessing its image shape needs.</summary>
    public static (ITransformer Chain, GlowTransformer Glow) FromRelease(MLContext ml, string path,
        string estimator, IDataView rows)
    {
        // Not disposed: the transformer with the extra columns shares its model.
        var loaded = GlowTransformer.Load(path);
        var glow = WithOodColumns(loaded, estimator);
        var a = glow.Model.Architecture;
        var preprocessing = Preprocessing(ml, a.Channels, a.Height, a.Width, glow.Columns.Input).Fit(rows);
        return (new TransformerChain<ITransformer>(preprocessing, glow), glow);
    }

    /// <summary>
    /// A chain saved by SaveWithGlow whose input is one text column of image paths (as <see cref="Fit"/> saves it),
    /// with its Glow transformer given the OOD columns. Returns the name of that text column too.
    /// </summary>
    public static (ITransformer Chain, GlowTransformer Glow, string PathColumn) FromChain(MLContext ml, string path,
        string estimator)
    {
        var loaded = (TransformerChain<ITransformer>)ml.Model.LoadWithGlow(path, out var schema);
        var text = schema.FirstOrDefault(c => c.Type is TextDataViewType);
        if (text.Name is null)
        {
            throw new InvalidDataException($"The chain in '{path}' takes no text column of image paths; its input "
                + $"columns are {string.Join(", ", schema.Select(c => $"{c.Name} ({c.Type})"))}.");
        }

        GlowTransformer? glow = null;
        var parts = loaded.Select(t => t is GlowTransformer g ? glow = WithOodColumns(g, estimator) : t).ToArray();
        if (glow is null)
        {
            throw new InvalidDataException($"The chain in '{path}' holds no Glow transformer.");
        }

        return (new TransformerChain<ITransformer>(parts), glow, text.Name);
    }

    /// <summary>
    /// Fits preprocessing and a Glow (default architecture, <paramref name="epochs"/> epochs) on every image of a
    /// folder; the image size comes from the first image, and so do the channels unless given.
    /// </summary>
    public static (ITransformer Chain, GlowTransformer Glow) Fit(MLContext ml, string folder, int? channels,
        int epochs, string estimator, string? savePath)
    {
        var files = ImageFiles(folder, int.MaxValue);
        int height, width;
        using (var first = MLImage.CreateFromFile(files[0]))
        {
            height = first.Height;
            width = first.Width;
            channels ??= IsGrey(first) ? 1 : 3;
        }

        var options = new GlowEstimator.Options
        {
            ComplexityColumnName = ComplexityColumn,
            OodScoreColumnName = OodScoreColumn,
            ComplexityEstimator = estimator,
        };
        options.Training = options.Training with { MaxEpochs = epochs };
        var rows = Rows(ml, files);
        var chain = Preprocessing(ml, channels.Value, height, width, options.InputColumnName)
            .Append(ml.Transforms.Glow(options))
            .Fit(rows);
        if (savePath is not null)
        {
            ml.Model.SaveWithGlow(chain, rows.Schema, savePath);
        }

        return (chain, chain.LastTransformer);
    }

    /// <summary>Whether every pixel of an image has red = green = blue.</summary>
    private static bool IsGrey(MLImage image)
    {
        var pixels = image.Pixels;
        for (int i = 0; i + 2 < pixels.Length; i += 4)
        {
            if (pixels[i] != pixels[i + 1] || pixels[i] != pixels[i + 2])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One row: an image file.</summary>
    private sealed class ImageFile
    {
        public string ImagePath { get; set; } = "";
    }
}
