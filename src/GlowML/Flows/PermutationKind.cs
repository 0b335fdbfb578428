namespace GlowML.Flows;

/// <summary>How each flow step mixes channels before its coupling.</summary>
public enum PermutationKind
{
    /// <summary>Invertible 1x1 convolution, LU-decomposed (config value <c>conv</c>).</summary>
    Conv,

    /// <summary>Invertible 1x1 convolution with a full weight and slogdet (config value <c>conv-plain</c>).</summary>
    ConvPlain,

    /// <summary>A fixed random channel order (config value <c>shuffle</c>).</summary>
    Shuffle,

    /// <summary>The reversed channel order (config value <c>reverse</c>).</summary>
    Reverse,
}
