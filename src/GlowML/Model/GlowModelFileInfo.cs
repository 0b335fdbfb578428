namespace GlowML.Model;

/// <summary>The header of a GlowML model file: what it is, the architecture and its metadata.</summary>
/// <param name="Path">The file it was read from.</param>
/// <param name="Kind">"model" or "release".</param>
/// <param name="FormatVersion">The file format version.</param>
/// <param name="Architecture">The model's architecture.</param>
/// <param name="Metadata">Free-form metadata (for a release: epoch, validation bits/dim, GlowML version...).</param>
public sealed record GlowModelFileInfo(string Path, string Kind, int FormatVersion, GlowArchitecture Architecture,
    IReadOnlyDictionary<string, string> Metadata);
