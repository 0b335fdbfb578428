namespace GlowML.Training;

/// <summary>The optimiser used for training.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba), as the Glow paper uses.</summary>
    Adam,

    /// <summary>Adamax, the infinity-norm variant of Adam used by some Glow ports.</summary>
    Adamax,
}
