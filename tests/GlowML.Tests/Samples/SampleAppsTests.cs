using System.Runtime.InteropServices;
using SkiaSharp;
using Xunit;

namespace GlowML.Tests.Samples;

public class SampleAppsTests(SampleAppsFixture fixture) : IClassFixture<SampleAppsFixture>
{
    private static readonly string OodScoring = SampleApp.Dll("GlowML.Samples.OodScoring");
    private static readonly string Generate = SampleApp.Dll("GlowML.Samples.Generate");

    [Fact]
    public void OodScoringListsEveryImageWithARelease()
    {
        var (code, output, error) = SampleApp.Run(OodScoring, "--images", fixture.Images, "--model", fixture.Release,
            "--count", "10");
        Assert.True(code == 0, $"exit {code}: {error}{output}");
        Assert.All(fixture.ImageNames, name => Assert.Contains(name, output));
        Assert.Contains("OOD score", output);
        Assert.Contains("complexity (png)", output);
    }

    [Fact]
    public void OodScoringFitsAPipelineSavesItAndScoresWithTheSavedChain()
    {
        var chain = fixture.NewPath("chain.zip");
        var fit = SampleApp.Run(OodScoring, "--images", fixture.Images, "--fit", fixture.Images, "--save", chain);
        Assert.True(fit.ExitCode == 0, $"exit {fit.ExitCode}: {fit.Error}{fit.Output}");
        Assert.True(File.Exists(chain));
        Assert.All(fixture.ImageNames, name => Assert.Contains(name, fit.Output));

        var reuse = SampleApp.Run(OodScoring, "--images", fixture.Images, "--model", chain, "--count", "4",
            "--complexity", "webp");
        Assert.True(reuse.ExitCode == 0, $"exit {reuse.ExitCode}: {reuse.Error}{reuse.Output}");
        Assert.Contains("complexity (webp)", reuse.Output);
        // --count takes the first images by name: fashion-0 .. fashion-3.
        Assert.All(fixture.ImageNames.Order(StringComparer.Ordinal).Take(4), n => Assert.Contains(n, reuse.Output));
        Assert.DoesNotContain("mnist-0.png", reuse.Output);
    }

    [Fact]
    public void AChainSavedInOneProcessScoresIdenticallyInAnother()
    {
        var chain = fixture.NewPath("same-scores.zip");
        var fit = SampleApp.Run(OodScoring, "--images", fixture.Images, "--fit", fixture.Images, "--save", chain);
        Assert.True(fit.ExitCode == 0, $"exit {fit.ExitCode}: {fit.Error}{fit.Output}");
        var reuse = SampleApp.Run(OodScoring, "--images", fixture.Images, "--model", chain);
        Assert.True(reuse.ExitCode == 0, $"exit {reuse.ExitCode}: {reuse.Error}{reuse.Output}");
        var before = ScoresByImage(fit.Output);
        var after = ScoresByImage(reuse.Output);
        Assert.Equal(fixture.ImageNames.Count, before.Count);
        Assert.Equal(before, after);
    }

    /// <summary>image -> "bits/dim | complexity | OOD score" as the sample's table prints them.</summary>
    private static Dictionary<string, string> ScoresByImage(string output) => output.Split('\n')
        .Select(line => line.Split('│', StringSplitOptions.TrimEntries))
        .Where(cells => cells.Length >= 5 && cells[1].EndsWith(".png", StringComparison.Ordinal))
        .ToDictionary(cells => cells[1], cells => string.Join(" | ", cells[2..5]));

    [Fact]
    public void OodScoringNamesWhatIsWrong()
    {
        var missing = fixture.NewPath("none.glow");
        var (code, _, error) = SampleApp.Run(OodScoring, "--images", fixture.Images, "--model", missing);
        Assert.Equal(1, code);
        Assert.Contains(missing, error);

        var usage = SampleApp.Run(OodScoring, "--images", fixture.Images, "--complexity", "flif");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("'flif'", usage.Error);
    }

    [Fact]
    public void GenerateWritesAGridFromAReleaseWithTorchSharp()
    {
        var grid = fixture.NewPath("grid.png");
        var (code, output, error) = SampleApp.Run(Generate, "--model", fixture.Release, "--output", grid,
            "--count", "9", "--seed", "3");
        Assert.True(code == 0, $"exit {code}: {error}{output}");
        AssertGrid(grid, 3);
    }

    [Fact]
    public void GenerateSamplesAnOnnxExportWithoutTorchSharpOrLibtorch()
    {
        // A copy of the sample without TorchSharp.dll or any libtorch library: the ONNX path must not need them.
        var app = fixture.NewPath("onnx-only");
        var built = Path.GetDirectoryName(Generate)!;
        Directory.CreateDirectory(app);
        foreach (var file in Directory.GetFiles(built))
        {
            var name = Path.GetFileName(file);
            // Without deps.json the host loads what lies beside the dll and nothing it lists is required.
            if (!IsTorch(name) && !name.EndsWith(".deps.json", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(app, name));
            }
        }

        var natives = Path.Combine(built, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        Assert.True(Directory.Exists(natives), $"No native libraries for {RuntimeInformation.RuntimeIdentifier}.");
        foreach (var file in Directory.GetFiles(natives).Where(f => !IsTorch(Path.GetFileName(f))))
        {
            File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        }

        var grid = fixture.NewPath("onnx-grid.png");
        var (code, output, error) = SampleApp.Run(Path.Combine(app, Path.GetFileName(Generate)), "--model",
            fixture.Export, "--output", grid, "--count", "4", "--backend", "onnx", "--temperature", "0.5");
        Assert.True(code == 0, $"exit {code}: {error}{output}");
        Assert.Contains("backend onnx", output);
        AssertGrid(grid, 2);

        // The same copy cannot take the TorchSharp path, which shows the ONNX run really went without it.
        var torch = SampleApp.Run(Path.Combine(app, Path.GetFileName(Generate)), "--model", fixture.Release,
            "--output", fixture.NewPath("torch.png"));
        Assert.NotEqual(0, torch.ExitCode);
    }

    private static bool IsTorch(string fileName)
    {
        string[] parts = ["torch", "c10", "gomp", "libshm", "backend", "aoti", "nnapi", "iomp", "uv.dll"];
        return parts.Any(p => fileName.Contains(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A grid of side x side 28x28 images with 2-pixel gaps, not all white.</summary>
    private static void AssertGrid(string path, int side)
    {
        Assert.True(File.Exists(path), $"{path} was not written.");
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(side * 30 + 2, bitmap.Width);
        Assert.Equal(side * 30 + 2, bitmap.Height);
        Assert.Contains(bitmap.Pixels, p => p != SKColors.White);
    }
}
