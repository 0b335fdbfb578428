// Writes a PNG grid of images sampled from a Glow model.
//   --backend torch (default): a GlowML release or model file, sampled with TorchSharp (needs libtorch).
//   --backend onnx: a folder written by `glow export-onnx` (score.onnx + sample.onnx), sampled with ONNX Runtime
//                   alone; libtorch is never loaded on this path.
//   dotnet run --project samples/GlowML.Samples.Generate -- --model FILE --output grid.png [--count N]
//       [--temperature T] [--seed S] [--backend torch|onnx]
using System.Globalization;
using GlowML.Samples.Generate;

const string Usage = """
    usage: GlowML.Samples.Generate --model FILE|DIR --output grid.png [options]
      --model FILE|DIR     a GlowML release file (torch), or an ONNX export folder (onnx)
      --output FILE        the PNG grid to write
      --count N            images (default 16)
      --temperature T      scale of the latent noise, >= 0 (default 0.7)
      --seed S             random seed (default 0)
      --backend NAME       torch (default) or onnx
    """;

var values = new Dictionary<string, string>(StringComparer.Ordinal);
string[] known = ["--model", "--output", "--count", "--temperature", "--seed", "--backend"];
for (int i = 0; i < args.Length; i++)
{
    if (!known.Contains(args[i]) || i + 1 >= args.Length)
    {
        return UsageError(known.Contains(args[i])
            ? $"Option '{args[i]}' needs a value."
            : $"Unknown option '{args[i]}'.");
    }

    values[args[i]] = args[++i];
}

if (!values.TryGetValue("--model", out var model) || !values.TryGetValue("--output", out var output))
{
    return UsageError("--model and --output are required.");
}

var invariant = CultureInfo.InvariantCulture;
if (!int.TryParse(values.GetValueOrDefault("--count", "16"), NumberStyles.Integer, invariant, out int count)
    || count < 1)
{
    return UsageError($"--count must be a positive whole number, got '{values["--count"]}'.");
}

if (!float.TryParse(values.GetValueOrDefault("--temperature", "0.7"), NumberStyles.Float, invariant,
        out float temperature) || !(temperature >= 0) || float.IsInfinity(temperature))
{
    return UsageError($"--temperature must be a finite number >= 0, got '{values["--temperature"]}'.");
}

if (!int.TryParse(values.GetValueOrDefault("--seed", "0"), NumberStyles.Integer, invariant, out int seed))
{
    return UsageError($"--seed must be a whole number, got '{values["--seed"]}'.");
}

string backend = values.GetValueOrDefault("--backend", "torch");
if (backend is not ("torch" or "onnx"))
{
    return UsageError($"--backend must be torch or onnx, got '{backend}'.");
}

try
{
    if (backend == "torch" && Directory.Exists(model))
    {
        throw new ArgumentException($"'{model}' is a folder; a release file is needed with --backend torch "
            + "(for an ONNX export folder pass --backend onnx).");
    }

    var images = backend == "onnx"
        ? OnnxSampler.Sample(model, count, temperature, seed)
        : TorchSampler.Sample(model, count, temperature, seed);
    PngGrid.Save(images, output);
    int finite = images.Pixels.Count(float.IsFinite);
    Console.WriteLine($"Wrote {output}: {count} images of {images.Channels}x{images.Height}x{images.Width} "
        + $"at temperature {temperature.ToString(invariant)}, seed {seed}, backend {backend}.");
    if (finite < images.Pixels.Length)
    {
        Console.WriteLine($"Note: {images.Pixels.Length - finite} pixels were not finite (drawn black): the reverse "
            + "flow overflowed, as it can for untrained or diverged models.");
    }

    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException
    or InvalidOperationException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

int UsageError(string message)
{
    Console.Error.WriteLine(message);
    Console.Error.WriteLine(Usage);
    return 2;
}
