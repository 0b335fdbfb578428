// Glow section 3.1: activation normalisation, y = (x + b) * exp(logs) per channel.
// log|det| = H * W * sum(logs). Initialised from the first batch it sees so that y has zero mean and
// unit variance per channel; the flag is a buffer so a loaded model keeps its trained values.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>Per-channel affine normalisation with data-dependent initialisation.</summary>
public sealed class ActNorm : FlowLayer
{
    private readonly long _channels;
    private readonly Parameter bias;
    private readonly Parameter log_scale;

    // 0 until the data-dependent initialisation ran; saved with the weights.
    private readonly Tensor initialized;

    /// <summary>Creates an ActNorm over <paramref name="channels"/> channels.</summary>
    public ActNorm(long channels) : base(nameof(ActNorm))
    {
        if (channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "ActNorm needs at least one channel.");
        }

        _channels = channels;
        bias = nn.Parameter(torch.zeros(1, channels, 1, 1));
        log_scale = nn.Parameter(torch.zeros(1, channels, 1, 1));
        initialized = torch.zeros(1);
        RegisterComponents();
    }

    /// <summary>Whether the data-dependent initialisation has run (or weights were loaded).</summary>
    public bool IsInitialized => initialized.any().item<bool>();

    /// <summary>The per-channel log-scale [1, C, 1, 1].</summary>
    public Tensor LogScale => log_scale;

    /// <summary>The per-channel bias [1, C, 1, 1].</summary>
    public Tensor Bias => bias;

    /// <summary>x [B, C, H, W] -> (y [B, C, H, W], log-determinant [B]).</summary>
    public override (Tensor Z, Tensor LogDet) forward(Tensor x)
    {
        var y = Normalize(x);
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        var logDet = (log_scale.sum() * (height * width)).expand(batch);
        return (y, logDet);
    }

    /// <summary>The normalisation alone, for use inside coupling networks where no log-determinant is needed.</summary>
    public Tensor Normalize(Tensor x)
    {
        CheckInput(x, _channels, nameof(ActNorm));
        if (!IsInitialized)
        {
            InitializeFrom(x);
        }

        return (x + bias) * log_scale.exp();
    }

    /// <inheritdoc />
    public override Tensor Reverse(Tensor z)
    {
        CheckInput(z, _channels, nameof(ActNorm));
        return z * (-log_scale).exp() - bias;
    }

    private void InitializeFrom(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var mean = x.mean(new long[] { 0, 2, 3 }, keepdim: true);
        var std = x.std(new long[] { 0, 2, 3 }, unbiased: false, keepdim: true);
        bias.copy_(-mean);
        log_scale.copy_(-(std + 1e-6).log());
        initialized.fill_(1);
    }
}
