// Scores images with a GlowML model exported to ONNX (glow export-onnx), using only GlowML.Onnx: ONNX Runtime and
// ML.NET, no TorchSharp or libtorch. Usage:
//   dotnet run -- <export dir with score.onnx [and sample.onnx]> <images.idx[.gz]> [more.idx[.gz] ...] [--count N]
// For each IDX file it prints the mean bits/dim twice, from the batched scorer and from an ML.NET pipeline, so a
// Fashion-MNIST model given Fashion-MNIST and MNIST shows the usual out-of-distribution gap.
using System.Diagnostics;
using GlowML.Onnx;
using GlowML.Samples.OnnxScoring;
using Microsoft.ML;
using Microsoft.ML.Data;

var positional = new List<string>();
int count = 1000;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--count" && i + 1 < args.Length && int.TryParse(args[i + 1], out count) && count > 0)
    {
        i++;
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal))
    {
        Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.");
        return 2;
    }
    else
    {
        positional.Add(args[i]);
    }
}

if (positional.Count < 2)
{
    Console.Error.WriteLine("usage: GlowML.Samples.OnnxScoring <export dir> <images.idx[.gz]>... [--count N]");
    return 2;
}

try
{
    using var scorer = OnnxGlowScorer.FromDirectory(positional[0]);
    Console.WriteLine($"Model {scorer.ScorePath}: {scorer.Channels}x{scorer.Height}x{scorer.Width}, "
        + $"{scorer.PixelDepth}-bit, exported by GlowML {scorer.GlowMLVersion}");
    var ml = new MLContext(seed: 0);
    foreach (var path in positional.Skip(1))
    {
        var (pixels, n, rows, cols) = IdxImages.Read(path, count);
        if (scorer.Channels != 1 || rows != scorer.Height || cols != scorer.Width)
        {
            Console.Error.WriteLine($"{path}: {rows}x{cols} grey images do not fit the model's "
                + $"{scorer.Channels}x{scorer.Height}x{scorer.Width}; skipped.");
            continue;
        }

        var watch = Stopwatch.StartNew();
        var scores = scorer.Score(pixels, n);
        double seconds = watch.Elapsed.TotalSeconds;

        // The same through ML.NET: a float-vector column scored in batches by the GlowOnnx transform.
        int d = scorer.Dimensions;
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, n)
            .Select(i => new ImageRow { Pixels = pixels[(i * d)..((i + 1) * d)] }),
            SchemaDefinitionFor(d));
        using var transformer = ml.Transforms.GlowOnnx(scorer.ScorePath).Fit(data);
        var viaMlNet = ml.Data.CreateEnumerable<ScoredRow>(transformer.Transform(data), reuseRowObject: true)
            .Average(r => r.BitsPerDim);

        Console.WriteLine($"{Path.GetFileName(path)}: {n} images, mean bits/dim {scores.BitsPerDim.Average():F4} "
            + $"(ML.NET pipeline {viaMlNet:F4}), {n / seconds:F0} images/s");
    }

    if (scorer.CanSample)
    {
        var samples = scorer.Sample(4, temperature: 0.7f, seed: 1);
        int finite = samples.Count(float.IsFinite);
        Console.WriteLine(finite == samples.Length
            ? $"Sampled 4 images at temperature 0.7: mean pixel {samples.Average():F3}"
            : $"Sampled 4 images at temperature 0.7: {samples.Length - finite} of {samples.Length} pixels are not "
              + "finite; the reverse flow overflowed, as it does for untrained or diverged models.");
    }

    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

static SchemaDefinition SchemaDefinitionFor(int dimensions)
{
    var schema = SchemaDefinition.Create(typeof(ImageRow));
    schema[nameof(ImageRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
    return schema;
}

/// <summary>One image as ML.NET sees it.</summary>
internal sealed class ImageRow
{
    public float[] Pixels { get; set; } = Array.Empty<float>();
}

/// <summary>The columns the sample reads back.</summary>
internal sealed class ScoredRow
{
    public float BitsPerDim { get; set; }
}
