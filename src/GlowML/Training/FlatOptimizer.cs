// Adam (Kingma & Ba, 2015, algorithm 1) and Adamax (section 7.1) over every parameter at once.
// A Glow model has ~200 small parameter tensors; TorchSharp's optimisers and clip_grad_norm_ loop over them from
// C#, several native calls each, which cost a tenth of a CPU training step. Here the parameters and their
// gradients are views into one flat buffer each, so zeroing, the gradient norm, clipping and the update are a
// handful of whole-buffer operations. The arithmetic is the same as torch.optim.Adam / Adamax. The same buffer makes
// an exponential moving average of the weights (Polyak averaging) one more operation per step.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Training;

/// <summary>
/// Adam or Adamax whose parameters live in one contiguous buffer [N] and whose gradients in another. Build it after
/// the model has its final device and before training; the parameters stay ordinary tensors of the model (views).
/// </summary>
internal sealed class FlatOptimizer : IDisposable
{
    private const int StateVersion = 1;
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly OptimizerKind _kind;
    private readonly Tensor _values;
    private readonly Tensor _grads;
    private readonly Tensor _firstMoment;
    private readonly Tensor _secondMoment;
    private readonly double _averageDecay;
    private Tensor? _average;
    private long _steps;
    private long _averaged;

    /// <summary>Moves <paramref name="parameters"/> into one buffer and gives each a gradient view.</summary>
    /// <param name="parameters">The parameters to train.</param>
    /// <param name="kind">Adam or Adamax.</param>
    /// <param name="averageDecay">Decay of the weights' moving average; 0 keeps none.</param>
    public FlatOptimizer(IReadOnlyList<Parameter> parameters, OptimizerKind kind, double averageDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("The optimiser needs at least one parameter.", nameof(parameters));
        }

        _kind = kind;
        _averageDecay = averageDecay;
        var first = parameters[0];
        long total = parameters.Sum(p => p.numel());
        _values = empty(total, dtype: first.dtype, device: first.device);
        _grads = zeros(total, dtype: first.dtype, device: first.device);
        _firstMoment = zeros(total, dtype: first.dtype, device: first.device);
        _secondMoment = zeros(total, dtype: first.dtype, device: first.device);
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var parameter in parameters)
        {
            if (parameter.dtype != first.dtype || parameter.device_type != first.device_type
                || parameter.device_index != first.device_index)
            {
                throw new ArgumentException("All parameters must share one dtype and device.", nameof(parameters));
            }

            long count = parameter.numel();
            using var value = _values.narrow(0, offset, count).view(parameter.shape);
            value.copy_(parameter);
            // set_ makes the parameter share the buffer's storage; autograd then accumulates into the gradient
            // view in place, because a gradient that already exists is added to rather than replaced.
            parameter.set_(value);
            parameter.grad = _grads.narrow(0, offset, count).view(parameter.shape);
            offset += count;
        }
    }

    /// <summary>Whether a moving average of the weights is kept (and has seen at least one step).</summary>
    public bool HasAverage => _average is not null;

    /// <summary>Number of scalar parameters.</summary>
    public long Count => _values.numel();

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        using var noGrad = no_grad();
        _grads.zero_();
    }

    /// <summary>The gradients' global L2 norm; when above <paramref name="maxNorm"/> (> 0) they are scaled down to
    /// it, as torch.nn.utils.clip_grad_norm_ does. Non-finite norms are returned untouched.</summary>
    public double ClipGradNorm(double maxNorm)
    {
        using var noGrad = no_grad();
        using var normTensor = _grads.norm();
        double norm = normTensor.item<float>();
        if (maxNorm > 0 && double.IsFinite(norm) && norm > maxNorm)
        {
            _grads.mul_(maxNorm / (norm + 1e-6));
        }

        return norm;
    }

    /// <summary>One update with learning rate <paramref name="learningRate"/>.</summary>
    public void Step(double learningRate)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _steps++;
        double correction1 = 1 - Math.Pow(Beta1, _steps);
        _firstMoment.mul_(Beta1).add_(_grads, alpha: 1 - Beta1);
        if (_kind == OptimizerKind.Adamax)
        {
            // u_t = max(beta2 * u_{t-1}, |g_t| + eps), in place.
            _secondMoment.copy_(maximum(_secondMoment.mul_(Beta2), _grads.abs().add_(Epsilon)));
            _values.addcdiv_(_firstMoment, _secondMoment, value: -learningRate / correction1);
            UpdateAverage();
            return;
        }

        double correction2 = 1 - Math.Pow(Beta2, _steps);
        _secondMoment.mul_(Beta2).addcmul_(_grads, _grads, value: 1 - Beta2);
        var denominator = _secondMoment.sqrt().div_(Math.Sqrt(correction2)).add_(Epsilon);
        _values.addcdiv_(_firstMoment, denominator, value: -learningRate / correction1);
        UpdateAverage();
    }

    /// <summary>Exchanges the weights and their moving average; a second call undoes the first.</summary>
    public void SwapAverage()
    {
        if (_average is null)
        {
            return;
        }

        using var noGrad = no_grad();
        using var weights = _values.clone();
        _values.copy_(_average);
        _average.copy_(weights);
    }

    /// <summary>Makes the moving average the weights, for a model whose training is over.</summary>
    public void ApplyAverage()
    {
        if (_average is not null)
        {
            using var noGrad = no_grad();
            _values.copy_(_average);
        }
    }

    private void UpdateAverage()
    {
        if (_averageDecay <= 0)
        {
            return;
        }

        if (_average is null)
        {
            // Starts from the weights after the first step, which follows ActNorm's data-dependent initialisation.
            _average = _values.clone().DetachFromDisposeScope();
            _averaged = 1;
            return;
        }

        _averaged++;
        double decay = Math.Min(_averageDecay, (1.0 + _averaged) / (10.0 + _averaged));
        // avg += (1 - decay) * (w - avg): weights that do not move leave the average exactly where it is.
        using var difference = _values - _average;
        _average.add_(difference, alpha: 1 - decay);
    }

    /// <summary>Writes the step count, both moments and, with averaging, the current weights and the average
    /// counter (a checkpoint's model block then holds the average, so the current weights must travel here).</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        writer.Write((int)_kind);
        writer.Write(_steps);
        writer.Write(Count);
        WriteTensor(writer, _firstMoment);
        WriteTensor(writer, _secondMoment);
        writer.Write(_average is null ? 0L : _averaged);
        if (_average is not null)
        {
            WriteTensor(writer, _values);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote; refuses state of another optimiser or parameter count. Call it
    /// with the model holding the checkpoint's (averaged) weights: they become the average again and the saved
    /// current weights are put back.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int version = reader.ReadInt32();
        var kind = (OptimizerKind)reader.ReadInt32();
        long steps = reader.ReadInt64();
        long count = reader.ReadInt64();
        if (version != StateVersion || steps < 0)
        {
            throw new InvalidDataException($"Its optimiser state has format {version}; this GlowML reads format "
                + $"{StateVersion} (checkpoints of GlowML before the flat optimiser cannot be resumed).");
        }

        if (kind != _kind)
        {
            throw new InvalidDataException($"It was trained with {Name(kind)} and the config asks for {Name(_kind)}; "
                + $"set training.optimizer back to \"{Name(kind)}\" to resume.");
        }

        if (count != Count)
        {
            throw new InvalidDataException($"Its optimiser state covers {count} values, the model has {Count}.");
        }

        ReadTensor(reader, _firstMoment);
        ReadTensor(reader, _secondMoment);
        long averaged = reader.ReadInt64();
        _steps = steps;
        _average?.Dispose();
        _average = null;
        _averaged = averaged;
        if (averaged > 0)
        {
            _average = _values.clone().DetachFromDisposeScope();
            ReadTensor(reader, _values);
            if (_averageDecay <= 0)
            {
                // Averaging is now off: train on from the current weights, with no frozen average left behind.
                _average.Dispose();
                _average = null;
            }
        }
    }

    private static string Name(OptimizerKind kind) => kind.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public void Dispose()
    {
        _values.Dispose();
        _grads.Dispose();
        _firstMoment.Dispose();
        _secondMoment.Dispose();
        _average?.Dispose();
    }

    private static void WriteTensor(BinaryWriter writer, Tensor tensor)
    {
        using var cpu = tensor.to(ScalarType.Float32, CPU);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
    }

    private static void ReadTensor(BinaryReader reader, Tensor target)
    {
        var values = new float[target.numel()];
        var bytes = reader.ReadBytes(values.Length * sizeof(float));
        if (bytes.Length != values.Length * sizeof(float))
        {
            throw new InvalidDataException("The saved optimiser state ends early.");
        }

        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        using var noGrad = no_grad();
        using var source = tensor(values);
        target.copy_(source);
    }
}
