using System.Text.Json.Serialization;
using GlowML.Flows;

namespace GlowML.Model;

/// <summary>
/// Everything that fixes a Glow model's shape: the image it models and the flow built over it. Defaults are the
/// Skeltorch tutorial's CIFAR-10 model (32x32 RGB, 3 levels of 32 steps, 512 filters). Call
/// <see cref="Validate"/> (the model does) to get a message naming any size that cannot work.
/// </summary>
public sealed record GlowArchitecture
{
    /// <summary>Image channels C: 1 (grey) or 3 (RGB); any count from 1 to 64 is accepted.</summary>
    [JsonPropertyName("channels")] public int Channels { get; init; } = 3;

    /// <summary>Image height H; must divide by SqueezingFactor^NumBlocks.</summary>
    [JsonPropertyName("height")] public int Height { get; init; } = 32;

    /// <summary>Image width W; must divide by SqueezingFactor^NumBlocks.</summary>
    [JsonPropertyName("width")] public int Width { get; init; } = 32;

    /// <summary>Levels L of the multi-scale model (&gt;= 1).</summary>
    [JsonPropertyName("num_blocks")] public int NumBlocks { get; init; } = 3;

    /// <summary>Steps of flow K per level (&gt;= 1).</summary>
    [JsonPropertyName("num_flows")] public int NumFlows { get; init; } = 32;

    /// <summary>Space-to-channel factor of each squeeze (&gt;= 2).</summary>
    [JsonPropertyName("squeezing_factor")] public int SqueezingFactor { get; init; } = 2;

    /// <summary>Channel mixing in each step.</summary>
    [JsonPropertyName("permutation")] public PermutationKind Permutation { get; init; } = PermutationKind.Conv;

    /// <summary>Coupling type in each step.</summary>
    [JsonPropertyName("coupling")] public CouplingKind Coupling { get; init; } = CouplingKind.Affine;

    /// <summary>Width of the coupling networks (&gt;= 1).</summary>
    [JsonPropertyName("num_filters")] public int NumFilters { get; init; } = 512;

    /// <summary>Kernel size of the coupling networks' outer convolutions (odd, &gt;= 1).</summary>
    [JsonPropertyName("kernel_size")] public int KernelSize { get; init; } = 3;

    /// <summary>Whether the top-level prior's per-channel mean and log-std are learned (else standard normal).</summary>
    [JsonPropertyName("learn_top")] public bool LearnTop { get; init; } = true;

    /// <summary>Bits per colour value of the data (1 to 8): the data has 2^PixelDepth levels.</summary>
    [JsonPropertyName("pixel_depth")] public int PixelDepth { get; init; } = 8;

    /// <summary>Dimensions D = C * H * W of one image.</summary>
    [JsonIgnore] public int Dimensions => Channels * Height * Width;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        Require(Channels is >= 1 and <= 64, $"channels must be between 1 and 64, got {Channels}.");
        Require(Height >= 1 && Width >= 1, $"The image size must be positive, got {Height}x{Width}.");
        Require(NumBlocks >= 1, $"num_blocks must be at least 1, got {NumBlocks}.");
        Require(NumFlows >= 1, $"num_flows must be at least 1, got {NumFlows}.");
        Require(SqueezingFactor >= 2, $"squeezing_factor must be at least 2, got {SqueezingFactor}.");
        Require(NumFilters >= 1, $"num_filters must be at least 1, got {NumFilters}.");
        Require(KernelSize >= 1 && KernelSize % 2 == 1, $"kernel_size must be odd and positive, got {KernelSize}.");
        Require(PixelDepth is >= 1 and <= 8, $"pixel_depth must be between 1 and 8, got {PixelDepth}.");
        Require(Enum.IsDefined(Permutation), $"Unknown permutation {(int)Permutation}.");
        Require(Enum.IsDefined(Coupling), $"Unknown coupling {(int)Coupling}.");
        long divisor = 1;
        for (int i = 0; i < NumBlocks && divisor <= Math.Max(Height, Width); i++)
        {
            divisor *= SqueezingFactor;
        }

        Require(Height % divisor == 0 && Width % divisor == 0,
            $"Image sides must divide by squeezing_factor^num_blocks = {SqueezingFactor}^{NumBlocks} = {divisor}; "
            + $"the image is {Height}x{Width} (height x width).");
    }

    /// <summary>Each setting, by its JSON key, whose value here differs from <paramref name="other"/>'s, with both
    /// values as the config writes them (<c>("num_filters", "32", "16")</c>); empty when they build the same model.
    /// </summary>
    public IReadOnlyList<(string Key, string Value, string OtherValue)> DifferencesFrom(GlowArchitecture other)
    {
        ArgumentNullException.ThrowIfNull(other);

        // Through JSON, so a setting added later is compared without anyone remembering to list it here.
        var mine = System.Text.Json.JsonSerializer.SerializeToElement(this, GlowJson.Options);
        var theirs = System.Text.Json.JsonSerializer.SerializeToElement(other, GlowJson.Options);
        return mine.EnumerateObject()
            .Select(p => (p.Name, Value: Text(p.Value), OtherValue: Text(theirs.GetProperty(p.Name))))
            .Where(d => d.Value != d.OtherValue)
            .ToArray();
    }

    private static string Text(System.Text.Json.JsonElement value) =>
        value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
