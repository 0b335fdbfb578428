using System.Text.RegularExpressions;
using Xunit;

namespace GlowML.Tests;

/// <summary>README's C# snippets are the regions of samples/GlowML.Samples.Readme, which the build compiles.</summary>
public partial class ReadmeSnippetTests
{
    public static TheoryData<string> Snippets() => new() { "mlnet", "onnx", "ood" };

    [Theory]
    [MemberData(nameof(Snippets))]
    public void ReadmeShowsTheCompiledSnippetWordForWord(string name)
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "samples", "GlowML.Samples.Readme");
        var region = Directory.GetFiles(folder, "*.cs")
            .Select(f => RegionPattern().Match(File.ReadAllText(f)))
            .FirstOrDefault(m => m.Success && m.Groups[1].Value == name);
        Assert.True(region is not null, $"no region '{name}' in {folder}");
        var snippet = Dedent(region.Groups[2].Value);
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md")).Replace("\r\n", "\n");
        Assert.Contains("```csharp\n" + snippet + "```", readme);
    }

    private static string Dedent(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Where((l, i) => i > 0 || l.Trim().Length > 0).ToList();
        if (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Concat(lines.Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n"));
    }

    [GeneratedRegex(@"// README:begin (\w+)\n(.*?)[ \t]*// README:end", RegexOptions.Singleline)]
    private static partial Regex RegionPattern();
}
