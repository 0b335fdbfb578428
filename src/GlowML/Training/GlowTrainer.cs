using System.Diagnostics;
using GlowML.Data;
using GlowML.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlowML.Training;

/// <summary>
/// The training engine behind <c>glow train</c> and the ML.NET estimator: minimises bits per dimension with Adam or
/// Adamax, linear warmup, learning-rate reduction on a validation plateau, early stopping, gradient-norm clipping
/// and a guard that skips steps whose loss or gradients are not finite.
/// </summary>
/// <remarks>
/// Every source of randomness during training is seeded from (seed, epoch, batch) by <see cref="BatchLoader"/>, so
/// the same seed gives the same losses on CPU, and a run resumed from a checkpoint continues exactly as an
/// uninterrupted one would.
/// </remarks>
public sealed class GlowTrainer : IDisposable
{
    private readonly GlowModel _model;
    private readonly TrainingOptions _options;
    private readonly Device _device;
    private readonly ITrainingObserver? _observer;
    private readonly FlatOptimizer _optimizer;

    /// <summary>Moves <paramref name="model"/> to <paramref name="device"/> and prepares its optimiser.</summary>
    public GlowTrainer(GlowModel model, TrainingOptions options, Device? device = null,
        ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _options = options;
        _device = device ?? CPU;
        _observer = observer;
        _model.to(_device);
        _optimizer = new FlatOptimizer(_model.parameters().Where(p => p.requires_grad).ToArray(), options.Optimizer,
            options.EmaDecay);
        State = new TrainingState { LearningRate = options.LearningRate };
    }

    /// <summary>Counters and history so far.</summary>
    public TrainingState State { get; private set; }

    /// <summary>The model being trained.</summary>
    public GlowModel Model => _model;

    /// <summary>Whether training should stop: early stopping fired or the epoch budget is spent.</summary>
    public bool IsFinished => State.StoppedEarly || State.Epoch >= _options.MaxEpochs;

    /// <summary>Runs <paramref name="action"/> with the model holding its averaged weights (see
    /// <see cref="TrainingOptions.EmaDecay"/>), or its current ones when there is no average yet.</summary>
    public T WithAveragedWeights<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _optimizer.SwapAverage();
        try
        {
            return action();
        }
        finally
        {
            _optimizer.SwapAverage();
        }
    }

    /// <summary>Runs <paramref name="action"/> with the model holding its averaged weights.</summary>
    public void WithAveragedWeights(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        WithAveragedWeights(() =>
        {
            action();
            return true;
        });
    }

    /// <summary>Leaves the model with its averaged weights for good, once training is over.</summary>
    public void ApplyAveragedWeights() => _optimizer.ApplyAverage();

    /// <summary>Restores counters and optimiser moments saved by <see cref="SaveOptimizer"/>; the model must hold
    /// the checkpoint's weights.</summary>
    public void Restore(TrainingState state, byte[] optimizerState)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(optimizerState);
        using (var reader = new BinaryReader(new MemoryStream(optimizerState)))
        {
            _optimizer.Load(reader);
        }

        State = state;
    }

    /// <summary>The optimiser's state (moments, step counts) as bytes.</summary>
    public byte[] SaveOptimizer()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            _optimizer.Save(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Trains until <see cref="IsFinished"/> or cancellation, calling <paramref name="afterEpoch"/> after
    /// each epoch (the CLI writes a checkpoint there).</summary>
    public TrainingState Fit(ImageSet train, ImageSet? validation, bool horizontalFlip = false,
        Action<TrainingState>? afterEpoch = null, CancellationToken cancellation = default)
    {
        while (!IsFinished)
        {
            cancellation.ThrowIfCancellationRequested();
            RunEpoch(train, validation, horizontalFlip, cancellation);
            afterEpoch?.Invoke(State);
        }

        return State;
    }

    /// <summary>Runs one epoch of training, then validation and the schedulers; returns its record.</summary>
    public EpochRecord RunEpoch(ImageSet train, ImageSet? validation, bool horizontalFlip = false,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        int epoch = State.Epoch + 1;
        var loader = new BatchLoader(train, new BatchLoaderOptions
        {
            BatchSize = _options.BatchSize,
            Shuffle = true,
            DropLast = _options.DropLast && train.Count >= _options.BatchSize,
            Seed = _options.Seed,
            PixelDepth = _model.Architecture.PixelDepth,
            Mode = Dequantization.Noise,
            HorizontalFlip = horizontalFlip,
            NumWorkers = _options.NumWorkers,
        });

        _model.train();
        var clock = Stopwatch.StartNew();
        long globalStep = State.GlobalStep;
        int step = 0, skipped = 0, consecutiveBad = 0, images = 0, sinceReport = 0;
        double sum = 0, reportSum = 0;
        int counted = 0;
        foreach (var batch in loader.Epoch(epoch))
        {
            cancellation.ThrowIfCancellationRequested();
            step++;
            globalStep++;
            double lr = ScheduledRate(globalStep);
            double? loss = Step(batch, lr);
            images += (int)batch.shape[0];
            batch.Dispose();
            if (loss is double value)
            {
                consecutiveBad = 0;
                sum += value;
                reportSum += value;
                counted++;
                sinceReport++;
            }
            else
            {
                skipped++;
                consecutiveBad++;
                _observer?.OnMessage($"epoch {epoch} step {step}: loss or gradient not finite; step skipped.");
                if (consecutiveBad >= _options.MaxBadSteps)
                {
                    throw new TrainingDivergedException(
                        $"Training diverged: {consecutiveBad} consecutive steps had a non-finite loss or gradient "
                        + $"(epoch {epoch}, step {step}). Lower training.lr, raise training.warmup_steps or set "
                        + "training.max_grad_norm.");
                }
            }

            if (step % _options.LogPeriod == 0 || step == loader.BatchesPerEpoch)
            {
                double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                _observer?.OnStep(new StepReport(epoch, step, loader.BatchesPerEpoch, globalStep,
                    sinceReport > 0 ? reportSum / sinceReport : double.NaN, lr, step / seconds, images / seconds));
                reportSum = 0;
                sinceReport = 0;
            }
        }

        double trainSeconds = clock.Elapsed.TotalSeconds;
        double validationBpd = validation is null ? double.NaN : Evaluate(validation, _options.BatchSize);
        var record = new EpochRecord(epoch, counted > 0 ? sum / counted : double.NaN, validationBpd,
            State.LearningRate, trainSeconds, images / Math.Max(trainSeconds, 1e-9), skipped);
        State = AfterEpoch(State with { Epoch = epoch, GlobalStep = globalStep }, record);
        record = record with { LearningRate = State.LearningRate };
        State = State with { History = State.History.Append(record).ToArray() };
        _observer?.OnEpoch(record);
        return record;
    }

    /// <summary>Mean bits/dim of <paramref name="images"/> at bin centres, in evaluation mode, with the averaged
    /// weights.</summary>
    public double Evaluate(ImageSet images, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(images);
        return WithAveragedWeights(() => Evaluation.MeanBitsPerDim(_model, images, batchSize, _device));
    }

    private double? Step(Tensor batch, double lr)
    {
        using var scope = NewDisposeScope();
        _optimizer.ZeroGrad();
        var loss = _model.BitsPerDim(batch.to(_device)).mean();
        double value = loss.item<float>();
        if (!double.IsFinite(value))
        {
            return null;
        }

        loss.backward();
        // The norm is one reduction over the flat gradients, so the guard checks it even when clipping is off.
        if (!double.IsFinite(_optimizer.ClipGradNorm(_options.MaxGradNorm)))
        {
            _optimizer.ZeroGrad();
            return null;
        }

        _optimizer.Step(lr);
        return value;
    }

    private double ScheduledRate(long globalStep) => _options.WarmupSteps > 0
        ? State.LearningRate * Math.Min(1.0, globalStep / (double)_options.WarmupSteps)
        : State.LearningRate;

    private TrainingState AfterEpoch(TrainingState state, EpochRecord record)
    {
        double score = double.IsNaN(record.ValidationBitsPerDim) ? record.TrainBitsPerDim : record.ValidationBitsPerDim;
        if (double.IsFinite(score) && score < state.BestValidation)
        {
            return state with { BestValidation = score, PlateauEpochs = 0, EpochsWithoutImprovement = 0 };
        }

        state = state with
        {
            PlateauEpochs = state.PlateauEpochs + 1,
            EpochsWithoutImprovement = state.EpochsWithoutImprovement + 1,
        };
        if (state.PlateauEpochs > _options.SchedulerPatience)
        {
            double lr = state.LearningRate * _options.SchedulerFactor;
            _observer?.OnMessage($"validation plateaued for {state.PlateauEpochs} epochs; learning rate "
                + $"{state.LearningRate:G3} -> {lr:G3}.");
            state = state with { LearningRate = lr, PlateauEpochs = 0 };
        }

        if (_options.EarlyStoppingPatience > 0 && state.EpochsWithoutImprovement >= _options.EarlyStoppingPatience)
        {
            _observer?.OnMessage($"no validation improvement for {state.EpochsWithoutImprovement} epochs; "
                + "stopping early.");
            state = state with { StoppedEarly = true };
        }

        return state;
    }

    /// <inheritdoc />
    public void Dispose() => _optimizer.Dispose();
}
