using Microsoft.ML.Data;

namespace GlowML.MLNet;

/// <summary>Copies ML.NET vectors, dense or sparse, into dense spans.</summary>
internal static class VectorValues
{
    /// <summary>Writes <paramref name="source"/> densely into <paramref name="destination"/> (same length).</summary>
    public static void CopyDense(in VBuffer<float> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"Expected a vector of {destination.Length} values, got {source.Length}.");
        }

        var values = source.GetValues();
        if (source.IsDense)
        {
            values.CopyTo(destination);
            return;
        }

        destination.Clear();
        var indices = source.GetIndices();
        for (int i = 0; i < indices.Length; i++)
        {
            destination[indices[i]] = values[i];
        }
    }
}
