// Glow (Kingma & Dhariwal, 2018), section 3, figure 2b: the multi-scale flow.
// Forward (x -> z): per level, squeeze -> K steps -> split; the split-off half is scored under a conditional
// Gaussian, the last level's output under the top prior. log p(x) = sum of prior log-densities + sum log|det|.
// Latents are reported standardised (eps = (z - mean) / std) so that reverse(forward(x)) needs no sampling.
using GlowML.Flows;
using GlowML.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Model;

/// <summary>
/// A Glow model over images [B, C, H, W] with values in [0, 1] (see <see cref="Quantization"/>).
/// </summary>
public sealed class GlowModel : nn.Module<Tensor, Tensor>
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    private readonly ModuleList<GlowLevel> levels;
    private readonly Tensor top_mean;
    private readonly Tensor top_log_std;
    private readonly long[][] _latentShapes;

    /// <summary>
    /// Builds a freshly initialised model. With a <paramref name="seed"/>, every random initial weight is drawn from a
    /// generator of its own, so the same seed gives the same weights even while other threads use torch's global one.
    /// </summary>
    public GlowModel(GlowArchitecture architecture, long? seed = null) : base(nameof(GlowModel))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        TorchNative.EnsureLoaded();
        using var generator = seed is long s ? new Generator(unchecked((ulong)s)) : null;

        Architecture = architecture;
        int factor = architecture.SqueezingFactor;
        long channels = architecture.Channels, height = architecture.Height, width = architecture.Width;
        var list = new GlowLevel[architecture.NumBlocks];
        var shapes = new List<long[]>();
        for (int i = 0; i < list.Length; i++)
        {
            channels *= factor * factor;
            height /= factor;
            width /= factor;
            bool last = i == list.Length - 1;
            list[i] = new GlowLevel(channels, architecture.NumFlows, !last, architecture.Permutation,
                architecture.Coupling, architecture.NumFilters, architecture.KernelSize, generator);
            shapes.Add(new[] { last ? channels : list[i].SplitChannels, height, width });
            channels = list[i].KeptChannels;
        }

        _latentShapes = shapes.ToArray();
        levels = nn.ModuleList(list);
        long topChannels = _latentShapes[^1][0];
        if (architecture.LearnTop)
        {
            // Equivalent to the reference's zero-initialised conv over a zero input: a learned per-channel bias.
            top_mean = nn.Parameter(torch.zeros(1, topChannels, 1, 1));
            top_log_std = nn.Parameter(torch.zeros(1, topChannels, 1, 1));
        }
        else
        {
            top_mean = torch.zeros(1, topChannels, 1, 1);
            top_log_std = torch.zeros(1, topChannels, 1, 1);
        }

        RegisterComponents();
    }

    /// <summary>The architecture this model was built from.</summary>
    public GlowArchitecture Architecture { get; }

    /// <summary>Dimensions D = C * H * W of one image.</summary>
    public int Dimensions => Architecture.Dimensions;

    /// <summary>The levels, first (finest) to last.</summary>
    public IReadOnlyList<GlowLevel> Levels => levels.ToList();

    /// <summary>Shape [C_l, H_l, W_l] of each level's latent, in the order of <see cref="GlowEncoding.Noise"/>.</summary>
    public IReadOnlyList<long[]> LatentShapes => _latentShapes;

    /// <summary>The top prior's per-channel mean [1, C_top, 1, 1].</summary>
    public Tensor TopMean => top_mean;

    /// <summary>The top prior's per-channel log standard deviation [1, C_top, 1, 1].</summary>
    public Tensor TopLogStd => top_log_std;

    /// <summary>x [B, C, H, W] in [0, 1] -> continuous log-density log p(x) [B] in nats.</summary>
    public override Tensor forward(Tensor x) => Encode(x).LogDensity;

    /// <summary>x [B, C, H, W] in [0, 1] (dequantised) -> bits per dimension [B].</summary>
    public Tensor BitsPerDim(Tensor x) => Quantization.BitsPerDim(forward(x), Dimensions, Architecture.PixelDepth);

    /// <summary>Runs the flow forward: x [B, C, H, W] in [0, 1] -> noise per level, log-det [B], log-prior [B].</summary>
    public GlowEncoding Encode(Tensor x)
    {
        CheckImages(x);
        long batch = x.shape[0];
        var h = x - 0.5;
        var logDet = torch.zeros(batch, dtype: x.dtype, device: x.device);
        var logPrior = torch.zeros(batch, dtype: x.dtype, device: x.device);
        var noise = new Tensor[levels.Count];
        for (int i = 0; i < levels.Count; i++)
        {
            var level = levels[i];
            var (flowed, levelLogDet) = level.Flow(Squeeze.Apply(h, Architecture.SqueezingFactor));
            logDet = logDet + levelLogDet;
            Tensor z, mean, logStd;
            if (level.Prior is SplitPrior prior)
            {
                h = flowed.narrow(1, 0, level.KeptChannels);
                z = flowed.narrow(1, level.KeptChannels, level.SplitChannels);
                (mean, logStd) = prior.forward(h);
            }
            else
            {
                z = flowed;
                (mean, logStd) = (top_mean.expand_as(z), top_log_std.expand_as(z));
            }

            var eps = (z - mean) * (-logStd).exp();
            noise[i] = eps;
            logPrior = logPrior + (-HalfLogTwoPi - logStd - 0.5 * eps.square()).sum(new long[] { 1, 2, 3 });
        }

        return new GlowEncoding(noise, logDet, logPrior);
    }

    /// <summary>Flat noise [B, C*H*W] (as <see cref="GlowEncoding.FlatNoise"/>) -> images [B, C, H, W].</summary>
    public Tensor Decode(Tensor flatNoise, double temperature = 1.0)
    {
        if (flatNoise.dim() != 2 || flatNoise.shape[1] != Dimensions)
        {
            throw new ArgumentException(
                $"Decode expects flat noise [B, {Dimensions}], got [{string.Join(", ", flatNoise.shape)}].");
        }

        long batch = flatNoise.shape[0];
        var parts = new Tensor[_latentShapes.Length];
        long offset = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            var shape = _latentShapes[i];
            long size = shape[0] * shape[1] * shape[2];
            parts[i] = flatNoise.narrow(1, offset, size).reshape(batch, shape[0], shape[1], shape[2]);
            offset += size;
        }

        return Decode(parts, temperature);
    }

    /// <summary>
    /// Per-level noise (as <see cref="GlowEncoding.Noise"/>) -> images [B, C, H, W]. Each level's latent is
    /// z = mean + temperature * std * eps; temperature 0 gives the prior means, 1 reconstructs encoded images.
    /// </summary>
    public Tensor Decode(IReadOnlyList<Tensor> noise, double temperature = 1.0)
    {
        if (noise.Count != _latentShapes.Length)
        {
            throw new ArgumentException($"Decode expects {_latentShapes.Length} levels of noise, got {noise.Count}.");
        }

        for (int i = 0; i < noise.Count; i++)
        {
            var expected = _latentShapes[i];
            var actual = noise[i].shape;
            if (actual.Length != 4 || actual[1] != expected[0] || actual[2] != expected[1] || actual[3] != expected[2])
            {
                throw new ArgumentException($"Level {i} noise must be [B, {string.Join(", ", expected)}], "
                    + $"got [{string.Join(", ", actual)}].");
            }
        }

        var topNoise = noise[^1];
        var h = top_mean + temperature * top_log_std.exp() * topNoise;
        for (int i = levels.Count - 1; i >= 0; i--)
        {
            var level = levels[i];
            if (level.Prior is SplitPrior prior)
            {
                var (mean, logStd) = prior.forward(h);
                h = torch.cat(new[] { h, mean + temperature * logStd.exp() * noise[i] }, 1);
            }

            h = Squeeze.Invert(level.Unflow(h), Architecture.SqueezingFactor);
        }

        return h + 0.5;
    }

    /// <summary>Draws <paramref name="count"/> images [count, C, H, W] at the given temperature.</summary>
    public Tensor Sample(int count, double temperature = 1.0, Generator? generator = null)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Sample at least one image.");
        }

        var device = top_mean.device;
        var noise = torch.randn(new long[] { count, Dimensions }, dtype: top_mean.dtype, device: device,
            generator: generator);
        return Decode(noise, temperature);
    }

    private void CheckImages(Tensor x)
    {
        var a = Architecture;
        if (x.dim() != 4 || x.shape[1] != a.Channels || x.shape[2] != a.Height || x.shape[3] != a.Width)
        {
            throw new ArgumentException($"The model expects images [B, {a.Channels}, {a.Height}, {a.Width}], "
                + $"got [{string.Join(", ", x.shape)}].");
        }
    }
}
