// Glow section 3.2: invertible 1x1 convolution with an LU-decomposed weight, W = P L (U + diag(sign(s) exp(log|s|))).
// log|det| = H * W * sum(log|s|), O(C) instead of O(C^3). P and sign(s) stay fixed, so they are buffers.
// Forward: z = W x per pixel; reverse: x = W^-1 z.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>Invertible 1x1 convolution, LU-parameterised (the <c>conv</c> permutation).</summary>
public sealed class InvertibleConv1x1 : FlowLayer
{
    private readonly long _channels;
    private readonly Tensor permutation;
    private readonly Tensor sign_s;
    private readonly Tensor lower_mask;
    private readonly Tensor identity;
    private readonly Parameter lower;
    private readonly Parameter upper;
    private readonly Parameter log_s;

    // W and W^-1 for gradient-free calls (scoring, sampling), with the parameter values they were built from.
    // Not a Tensor field, so TorchSharp neither registers nor saves it.
    private WeightCache? _cache;
    private readonly object _cacheGate = new();

    /// <summary>Creates the layer for <paramref name="channels"/> channels, starting from a random rotation.</summary>
    public InvertibleConv1x1(long channels, Generator? generator = null) : base(nameof(InvertibleConv1x1))
    {
        _channels = channels;
        using var noGrad = torch.no_grad();
        var (q, _) = torch.linalg.qr(torch.randn(new[] { channels, channels }, generator: generator));
        var (p, l, u) = torch.linalg.lu(q);
        // LAPACK hands back column-major results; saving needs contiguous storage.
        (p, l, u) = (p.contiguous(), l.contiguous(), u.contiguous());
        var diagonal = u.diagonal().contiguous();
        permutation = p;
        sign_s = diagonal.sign();
        lower_mask = torch.ones(channels, channels).tril(-1);
        identity = torch.eye(channels);
        lower = nn.Parameter(l * lower_mask);
        upper = nn.Parameter(u.triu(1));
        log_s = nn.Parameter(diagonal.abs().log());
        RegisterComponents();
    }

    /// <summary>The current weight W [C, C].</summary>
    public Tensor Weight()
    {
        var l = lower * lower_mask + identity;
        var u = upper * lower_mask.t() + torch.diag(sign_s * log_s.exp());
        return permutation.matmul(l).matmul(u);
    }

    /// <summary>log|det W| as a scalar; the layer's log-determinant is H * W times it.</summary>
    public Tensor LogAbsDetWeight() => log_s.sum();

    /// <summary>x [B, C, H, W] -> (W x [B, C, H, W], log-determinant [B]).</summary>
    public override (Tensor Z, Tensor LogDet) forward(Tensor x)
    {
        CheckInput(x, _channels, nameof(InvertibleConv1x1));
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        var z = nn.functional.conv2d(x, Kernel(inverse: false));
        return (z, (LogAbsDetWeight() * (height * width)).expand(batch));
    }

    /// <inheritdoc />
    public override Tensor Reverse(Tensor z)
    {
        CheckInput(z, _channels, nameof(InvertibleConv1x1));
        return nn.functional.conv2d(z, Kernel(inverse: true));
    }

    /// <summary>Drops the cached W and W^-1 when training resumes, so no stale copy outlives an evaluation.</summary>
    public override void train(bool train = true)
    {
        base.train(train);
        if (train)
        {
            DropCache();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropCache();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// W or W^-1 as a [C, C, 1, 1] kernel. With gradients on (training) it is rebuilt from the parameters so autograd
    /// sees it. With gradients off (scoring, sampling) it comes from a cache that is rebuilt whenever a parameter
    /// differs from the values it was built from (a load, an optimiser step, an in-place edit, a move), because
    /// rebuilding W costs about a dozen small ops and W^-1 an LU inverse per layer per call.
    /// </summary>
    private Tensor Kernel(bool inverse)
    {
        if (torch.is_grad_enabled())
        {
            var weight = Weight();
            return (inverse ? torch.linalg.inv(weight) : weight).view(_channels, _channels, 1, 1);
        }

        // The lock keeps concurrent scorers of one model from rebuilding or disposing the cache under each other;
        // the alias gives the caller its own handle, which its dispose scope may free without touching the cache.
        lock (_cacheGate)
        {
            if (_cache is null || !_cache.Matches(lower, upper, log_s))
            {
                DropCache();
                _cache = new WeightCache(lower, upper, log_s, Weight());
            }

            return (inverse ? _cache.Inverse() : _cache.Weight).alias();
        }
    }

    private void DropCache()
    {
        lock (_cacheGate)
        {
            _cache?.Dispose();
            _cache = null;
        }
    }

    /// <summary>W (and lazily W^-1) as [C, C, 1, 1] kernels with copies of the parameters they came from, held
    /// outside every dispose scope.</summary>
    private sealed class WeightCache : IDisposable
    {
        private readonly Tensor[] _source;
        private Tensor? _inverse;

        public WeightCache(Tensor lower, Tensor upper, Tensor logS, Tensor weight)
        {
            _source = new[] { lower, upper, logS }.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
            Weight = weight.detach().view(weight.shape[0], weight.shape[1], 1, 1).DetachFromDisposeScope();
        }

        public Tensor Weight { get; }

        public Tensor Inverse() => _inverse ??= torch.linalg.inv(Weight.squeeze(-1).squeeze(-1))
            .view(Weight.shape).DetachFromDisposeScope();

        /// <summary>Whether the parameters still hold exactly the values the cache was built from.</summary>
        public bool Matches(params Tensor[] parameters)
        {
            for (int i = 0; i < _source.Length; i++)
            {
                var (cached, current) = (_source[i], parameters[i]);
                if (cached.device_type != current.device_type || cached.device_index != current.device_index
                    || cached.dtype != current.dtype
                    || !cached.allclose(current, rtol: 0, atol: 0))
                {
                    return false;
                }
            }

            return true;
        }

        public void Dispose()
        {
            foreach (var tensor in _source)
            {
                tensor.Dispose();
            }

            Weight.Dispose();
            _inverse?.Dispose();
        }
    }
}
