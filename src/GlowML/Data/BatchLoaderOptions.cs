namespace GlowML.Data;

/// <summary>How <see cref="BatchLoader"/> cuts, orders and preprocesses batches. Defaults suit training.</summary>
public sealed record BatchLoaderOptions
{
    /// <summary>Images per batch B (at least 1). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Visit the images in a fresh seeded order each epoch (else in stored order). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Leave out the last batch when it would be smaller than <see cref="BatchSize"/>. Default false.
    /// </summary>
    public bool DropLast { get; init; }

    /// <summary>Seed of the order, the noise and the flips, together with the epoch and batch index. Default 0.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>Bits kept per 8-bit value, 1..8; lower bits are floored away. Default 8.</summary>
    public int PixelDepth { get; init; } = 8;

    /// <summary>Noise (training) or bin centres (evaluation). Default <see cref="Dequantization.Noise"/>.</summary>
    public Dequantization Mode { get; init; } = Dequantization.Noise;

    /// <summary>Mirror each image left-right with probability 1/2. Default false.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Background threads preparing batches ahead of the consumer; 0 prepares each batch on demand on the
    /// consumer's thread. Results do not depend on it. Default 0.</summary>
    public int NumWorkers { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentException($"BatchSize must be at least 1, got {BatchSize}.", nameof(BatchSize));
        }

        if (PixelDepth is < 1 or > 8)
        {
            throw new ArgumentException($"PixelDepth must be 1..8, got {PixelDepth}.", nameof(PixelDepth));
        }

        if (NumWorkers < 0)
        {
            throw new ArgumentException($"NumWorkers must be 0 or more, got {NumWorkers}.", nameof(NumWorkers));
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"Mode {(int)Mode} is not a Dequantization value.", nameof(Mode));
        }
    }
}
