namespace GlowML.Flows;

/// <summary>How a coupling layer transforms the half it changes.</summary>
public enum CouplingKind
{
    /// <summary>zb = (xb + t) * sigmoid(h + 2): Glow's affine coupling.</summary>
    Affine,

    /// <summary>zb = xb + t: NICE's additive, volume-preserving coupling.</summary>
    Additive,
}
