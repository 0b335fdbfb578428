namespace GlowML.Data;

/// <summary>How images whose size differs from the configured <c>image_size</c> are brought to it.</summary>
public enum ResizeMode
{
    /// <summary>No change: a different size is an error naming the file.</summary>
    None,

    /// <summary>Scale to exactly height x width (Mitchell cubic; the aspect ratio is not kept).</summary>
    Resize,

    /// <summary>Cut the centred height x width region; an image smaller than that is an error.</summary>
    CenterCrop,
}
