// Out-of-distribution scores for a folder of images with a Glow model in an ML.NET pipeline, corrected for input
// complexity as Serra et al. (ICLR 2020) propose: S(x) = bits/dim(x) - L(x), where L(x) is the PNG (or WebP) code
// length of the image in bits per dimension. Higher S means less like the model's training data.
//   dotnet run --project samples/GlowML.Samples.OodScoring -- --images DIR [--model FILE | --fit DIR] [--count N]
using GlowML.MLNet;
using GlowML.Ood;
using GlowML.Samples.OodScoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;

SampleOptions options;
try
{
    options = SampleOptions.Parse(args);
    ComplexityEstimators.Create(options.Complexity);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}

try
{
    var ml = new MLContext(seed: 0);
    var files = OodPipeline.ImageFiles(options.Images, options.Count);
    ITransformer chain;
    GlowTransformer glow;
    string pathColumn = OodPipeline.PathColumn;
    string source;
    if (options.Fit is string fitFolder)
    {
        Console.WriteLine($"Fitting a Glow on the images in {fitFolder} ({options.Epochs} epoch(s))");
        (chain, glow) = OodPipeline.Fit(ml, fitFolder, options.Channels, options.Epochs, options.Complexity,
            options.Save);
        source = $"fitted on {fitFolder}" + (options.Save is null ? "" : $", saved to {options.Save}");
    }
    else
    {
        var modelPath = options.Model ?? DefaultModelPath();
        if (!File.Exists(modelPath))
        {
            Console.Error.WriteLine(MissingModelHelp(modelPath, options.Model is null));
            return 1;
        }

        if (IsZip(modelPath))
        {
            (chain, glow, pathColumn) = OodPipeline.FromChain(ml, modelPath, options.Complexity);
        }
        else
        {
            (chain, glow) = OodPipeline.FromRelease(ml, modelPath, options.Complexity,
                OodPipeline.Rows(ml, files));
        }

        source = modelPath;
    }

    var a = glow.Model.Architecture;
    // Plain lines, not Spectre markup: they keep their length when the output is redirected (Spectre wraps at 80).
    Console.WriteLine($"Model: {source} ({a.Channels}x{a.Height}x{a.Width}, {a.NumBlocks} levels of {a.NumFlows} "
        + $"steps); complexity: {glow.ComplexityEstimator!.Name}");

    var scored = chain.Transform(OodPipeline.Rows(ml, files, pathColumn));
    var results = Read(scored, pathColumn, glow.Columns);
    var table = new Table().Border(TableBorder.Rounded)
        .AddColumn("image")
        .AddColumn(new TableColumn("bits/dim").RightAligned())
        .AddColumn(new TableColumn($"complexity ({glow.ComplexityEstimator.Name})").RightAligned())
        .AddColumn(new TableColumn("OOD score").RightAligned());
    foreach (var r in results.OrderByDescending(r => r.OodScore))
    {
        table.AddRow(Markup.Escape(Path.GetFileName(r.Path)), $"{r.BitsPerDim:F3}", $"{r.Complexity:F3}",
            $"{r.OodScore:F3}");
    }

    AnsiConsole.Write(table);
    Console.WriteLine($"{results.Count} images, most out-of-distribution first. Means: bits/dim "
        + $"{results.Average(r => r.BitsPerDim):F3}, complexity {results.Average(r => r.Complexity):F3}, "
        + $"OOD score {results.Average(r => r.OodScore):F3}.");
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException
    or InvalidOperationException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

// One pass over the scored rows reads every column the table needs (each GetColumn call would score again).
static List<(string Path, float BitsPerDim, float Complexity, float OodScore)> Read(IDataView scored,
    string pathColumn, GlowColumns columns)
{
    var schema = scored.Schema;
    var wanted = new[] { pathColumn, columns.BitsPerDim, columns.Complexity!, columns.OodScore! }
        .Select(name => schema[name]).ToArray();
    using var cursor = scored.GetRowCursor(wanted);
    var path = cursor.GetGetter<ReadOnlyMemory<char>>(wanted[0]);
    var bpd = cursor.GetGetter<float>(wanted[1]);
    var complexity = cursor.GetGetter<float>(wanted[2]);
    var ood = cursor.GetGetter<float>(wanted[3]);
    var rows = new List<(string, float, float, float)>();
    ReadOnlyMemory<char> p = default;
    float b = 0, c = 0, s = 0;
    while (cursor.MoveNext())
    {
        path(ref p);
        bpd(ref b);
        complexity(ref c);
        ood(ref s);
        rows.Add((p.ToString(), b, c, s));
    }

    return rows;
}

// The default model lives under the repository root, found from the working folder or the sample's own folder.
static string DefaultModelPath()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GlowML.sln")))
            {
                return Path.Combine(dir.FullName, SampleOptions.DefaultModel);
            }
        }
    }

    return Path.GetFullPath(SampleOptions.DefaultModel);
}

static string MissingModelHelp(string path, bool isDefault)
{
    if (!isDefault)
    {
        return $"Model file '{path}' does not exist.";
    }

    const string Glow = "dotnet run --project src/GlowML.Cli --";
    return string.Join(Environment.NewLine,
        $"No model at {path}.",
        "Make one with the glow CLI (from the repository root), then copy the release there:",
        $"  {Glow} init --experiment-name fashion-mnist --config-path configs/fashion-mnist.cpu.json",
        $"  {Glow} train --experiment-name fashion-mnist --data-path <folder holding fashion-mnist/>",
        $"  {Glow} create-release --experiment-name fashion-mnist",
        "  mkdir -p models/fashion-mnist",
        $"  cp experiments/fashion-mnist/checkpoints/epoch-<N>.release.glow {SampleOptions.DefaultModel}",
        "Or pass --model FILE, or fit a model here with --fit DIR (add --save chain.zip to keep it).");
}

// Chains saved by SaveWithGlow are zip archives ("PK\x03\x04"); GlowML model files are not.
static bool IsZip(string path)
{
    using var stream = File.OpenRead(path);
    Span<byte> head = stackalloc byte[4];
    return stream.Read(head) == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
}
