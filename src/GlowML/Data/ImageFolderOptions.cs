namespace GlowML.Data;

/// <summary>How <see cref="ImageFolderReader"/> decodes and normalises a folder of images.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>1 (grey) or 3 (RGB); null takes the channel count of the first image.</summary>
    public int? Channels { get; init; }

    /// <summary>Target height; null keeps the images' own size, which must then be the same for all.</summary>
    public int? Height { get; init; }

    /// <summary>Target width; set together with <see cref="Height"/>.</summary>
    public int? Width { get; init; }

    /// <summary>How images of another size reach Height x Width. Default <see cref="ResizeMode.None"/>.</summary>
    public ResizeMode Resize { get; init; }

    /// <summary>Convert grey images to RGB (repeating the grey) and RGB to grey (BT.601 luma) when they differ from
    /// <see cref="Channels"/>; when false such an image is an error. Default false.</summary>
    public bool ConvertColor { get; init; }

    /// <summary>Skip files that cannot be decoded, logging each, instead of failing. Default false.</summary>
    public bool SkipUnreadable { get; init; }

    /// <summary>Read at most this many images, picked at random with <see cref="Seed"/> (before decoding, so a
    /// small cap is fast) and kept in folder order. Null reads all.</summary>
    public long? MaxImages { get; init; }

    /// <summary>Seed of the <see cref="MaxImages"/> pick. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Class names whose positions are the labels (pass the training folder's to a test folder so the
    /// labels agree); null uses this folder's class subfolders in ordinal order.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}
