namespace GlowML.Data;

/// <summary>
/// A data file that cannot be read as what it claims to be: truncated, a wrong magic number, a record of the wrong
/// length, an undecodable image. The message names the file and, where one applies, the record index or byte offset.
/// </summary>
public sealed class DataFileException : IOException
{
    /// <summary>Creates the exception; <paramref name="message"/> should already name the file and position.</summary>
    public DataFileException(string filePath, string message, long? recordIndex = null, long? byteOffset = null,
        Exception? inner = null)
        : base(message, inner)
    {
        FilePath = filePath;
        RecordIndex = recordIndex;
        ByteOffset = byteOffset;
    }

    /// <summary>The file at fault (for an archive member: <c>archive.tar.gz!member</c>).</summary>
    public string FilePath { get; }

    /// <summary>The record (image) index at fault, when one applies.</summary>
    public long? RecordIndex { get; }

    /// <summary>The byte offset at fault (in the decompressed stream for gzip files), when one applies.</summary>
    public long? ByteOffset { get; }
}
