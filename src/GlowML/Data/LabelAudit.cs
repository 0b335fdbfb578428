using System.IO.Compression;

namespace GlowML.Data;

/// <summary>
/// Spots label files that follow a rule instead of annotating images (the copies in ../shared/data are such:
/// Fashion-MNIST's are 0, 1, ..., 9 repeated, MNIST's compress 20-fold below what their class frequencies allow).
/// Real shuffled labels cannot be compressed much below their entropy; labels grouped by class are exempt.
/// </summary>
internal static class LabelAudit
{
    /// <summary>Why the labels look generated, or null when they look like annotations (or are too few to judge).
    /// </summary>
    public static string? Suspicion(long[] labels)
    {
        int n = labels.Length;
        if (n < 100)
        {
            return null;
        }

        var counts = labels.GroupBy(l => l).Select(g => (double)g.Count()).ToList();
        int runs = 1;
        for (int i = 1; i < n; i++)
        {
            runs += labels[i] != labels[i - 1] ? 1 : 0;
        }

        if (runs <= 2 * counts.Count)
        {
            return null;
        }

        for (int period = 1; period <= 64 && period < n / 2; period++)
        {
            bool repeats = true;
            for (int i = period; i < n && repeats; i++)
            {
                repeats = labels[i] == labels[i - period];
            }

            if (repeats)
            {
                return $"the {n} labels repeat with period {period} " +
                       $"({string.Join(", ", labels.Take(Math.Min(period, 12)))}{(period > 12 ? ", ..." : "")})";
            }
        }

        double entropyBits = -counts.Sum(c => c / n * Math.Log2(c / n));
        double neededBytes = entropyBits * n / 8;
        using var memory = new MemoryStream();
        using (var deflate = new DeflateStream(memory, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(labels.Select(l => (byte)l).ToArray());
        }

        if (memory.Length < 0.5 * neededBytes)
        {
            return $"the {n} labels compress to {memory.Length} bytes, while labels with their class frequencies " +
                   $"need about {neededBytes:F0} bytes unless a rule generated them";
        }

        return null;
    }
}
