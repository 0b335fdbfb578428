namespace GlowML.MLNet;

/// <summary>The range of the float pixels in the input column.</summary>
public enum PixelRange
{
    /// <summary>value / 255 in [0, 1], as ExtractPixels with scaleImage 1/255 emits.</summary>
    UnitInterval,

    /// <summary>Raw 0..255 values, as ExtractPixels emits by default.</summary>
    Bytes,
}
