using GlowML.Model;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace GlowML.MLNet;

/// <summary>Checks a Glow input column and builds the output schema, shared by the estimator and transformer.</summary>
internal static class GlowSchema
{
    /// <summary>The [C, H, W] shape a vector column declares, or null when it only has a flat size.</summary>
    public static int[]? ShapeOf(VectorDataViewType vector) =>
        vector.Dimensions.Length == 3 ? vector.Dimensions.ToArray() : null;

    /// <summary>Throws unless <paramref name="name"/> is a known-size float vector of the model's C*H*W values, or
    /// an image column whose images can have the model's size.</summary>
    public static void CheckInput(DataViewSchema schema, string name, GlowArchitecture architecture)
    {
        if (schema.GetColumnOrNull(name)?.Type is ImageDataViewType image)
        {
            if (architecture.Channels is not (1 or 3) || (image.Height != 0 && image.Height != architecture.Height)
                || (image.Width != 0 && image.Width != architecture.Width))
            {
                throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' holds {image}; the Glow model "
                    + $"expects {architecture.Channels}-channel images of {architecture.Height}x{architecture.Width} "
                    + "(height x width): resize them first (ResizeImages).");
            }

            return;
        }

        var vector = RequireFloatVector(schema, name);
        int expected = architecture.Dimensions;
        if (vector.Size != expected)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' holds {vector} ({vector.Size} "
                + $"values); the Glow model expects Vector<Single, {architecture.Channels}, {architecture.Height}, "
                + $"{architecture.Width}> ({expected} values, planar [C, H, W]).");
        }

        if (ShapeOf(vector) is int[] shape && (shape[0] != architecture.Channels || shape[1] != architecture.Height
            || shape[2] != architecture.Width))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' has shape [{string.Join(", ", shape)}];"
                + $" the Glow model expects [{architecture.Channels}, {architecture.Height}, {architecture.Width}].");
        }
    }

    /// <summary>The column as a known-size float vector, or an exception naming its type and the expected one.</summary>
    public static VectorDataViewType RequireFloatVector(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(schema),
            $"Input column '{name}' was not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || n != NumberDataViewType.Single
            || !vector.IsKnownSize)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' has type {column.Type}; Glow needs "
                + "a known-size vector of Single, planar [C, H, W] as ExtractPixels emits, or an image column.");
        }

        return vector;
    }

    /// <summary>The input schema with the Glow columns appended.</summary>
    public static DataViewSchema Output(DataViewSchema input, GlowColumns columns, int dimensions)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(columns.BitsPerDim, NumberDataViewType.Single);
        builder.AddColumn(columns.LogLikelihood, NumberDataViewType.Single);
        if (columns.Latent is string latent)
        {
            builder.AddColumn(latent, new VectorDataViewType(NumberDataViewType.Single, dimensions));
        }

        foreach (var name in new[] { columns.Complexity, columns.OodScore })
        {
            if (name is not null)
            {
                builder.AddColumn(name, NumberDataViewType.Single);
            }
        }

        return builder.ToSchema();
    }

    /// <summary>Which array of a batch's scores holds the float output column <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">The column is no float output of <paramref name="columns"/>.
    /// </exception>
    public static Func<GlowScores, float[]> ScalarOutput(GlowColumns columns, string name)
    {
        if (name == columns.BitsPerDim)
        {
            return scores => scores.BitsPerDim;
        }

        if (name == columns.LogLikelihood)
        {
            return scores => scores.LogLikelihood;
        }

        if (name == columns.Complexity)
        {
            return scores => scores.Complexity ?? throw NotComputed(name);
        }

        if (name == columns.OodScore)
        {
            return scores => scores.OodScore ?? throw NotComputed(name);
        }

        throw new InvalidOperationException($"Column '{name}' is not a float output of this Glow transformer.");
    }

    private static InvalidOperationException NotComputed(string name) => new(
        $"Column '{name}' was not active when the cursor or row was made, so its complexity was not computed.");

    /// <summary>A schema standing in for a <see cref="SchemaShape"/> (whose column constructor is internal to
    /// ML.NET), so that <see cref="ToShape"/> can produce the estimator's output shape.</summary>
    public static DataViewSchema FromShape(SchemaShape shape)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in shape)
        {
            DataViewType type = column.Kind switch
            {
                SchemaShape.Column.VectorKind.Scalar => column.ItemType,
                // The size is not in a SchemaShape; 1 keeps the column a known-size vector for SchemaShape.Create.
                SchemaShape.Column.VectorKind.Vector => new VectorDataViewType((PrimitiveDataViewType)column.ItemType, 1),
                _ => new VectorDataViewType((PrimitiveDataViewType)column.ItemType),
            };
            builder.AddColumn(column.Name, type);
        }

        return builder.ToSchema();
    }

    // LIMITATION: ML.NET keeps SchemaShape.Create and SchemaShape.Column's constructor internal, so a third-party
    // estimator reaches the former by reflection; if a future ML.NET renames it, GetOutputSchema says so plainly.
    private static readonly System.Reflection.MethodInfo? CreateShape = typeof(SchemaShape).GetMethod("Create",
        System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public
        | System.Reflection.BindingFlags.NonPublic, new[] { typeof(DataViewSchema) });

    /// <summary>The <see cref="SchemaShape"/> of a schema.</summary>
    public static SchemaShape ToShape(DataViewSchema schema) =>
        CreateShape?.Invoke(null, new object[] { schema }) as SchemaShape
        ?? throw new NotSupportedException("This ML.NET version does not let GlowML build a SchemaShape; "
            + "GetOutputSchema(DataViewSchema) on the fitted transformer still works.");
}
