namespace GlowML.Data;

/// <summary>Derives independent, reproducible seeds from (seed, epoch, batch, stream) with SplitMix64 steps, so
/// nothing depends on which thread made a batch or on how many batches came before.</summary>
internal static class SeedMixer
{
    public static ulong Mix(params long[] parts)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        foreach (var part in parts)
        {
            state = Step(state ^ (ulong)part);
        }

        return state;
    }

    private static ulong Step(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
