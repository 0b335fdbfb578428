// The data-independent half of a Glow model, evaluated once in double precision for export: every ActNorm is
// folded into the convolution next to it, W^-1 and the log-determinants of ActNorm and of the 1x1 convolutions
// become constants, and so does the learned top prior. The ONNX graphs then only hold the data-dependent work.
using GlowML.Flows;
using GlowML.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace GlowML.Onnx;

/// <summary>A convolution with its weight [Cout, Cin, k, k] and bias [Cout] in float32, ready for ONNX.</summary>
internal sealed record FoldedConv(float[] Weight, float[] Bias, long OutChannels, long InChannels, long KernelSize);

/// <summary>One step of flow, folded: the channel mixing with its ActNorm, and the coupling network.</summary>
/// <param name="Mix">ActNorm then channel mixing as one 1x1 convolution: W diag(s) x + W (b * s).</param>
/// <param name="Unmix">Its inverse as one 1x1 convolution: diag(1/s) W^-1 y - b.</param>
/// <param name="Kind">Affine or additive coupling.</param>
/// <param name="PassChannels">Channels the coupling passes through (the first floor(C/2)).</param>
/// <param name="ChangeChannels">Channels the coupling changes (the rest).</param>
/// <param name="Network">The coupling network's three convolutions; for affine couplings the second half of the
/// last one outputs -(raw + 2), so that log s = -softplus(output) (see <see cref="Coupling"/>).</param>
internal sealed record FoldedStep(FoldedConv Mix, FoldedConv Unmix, CouplingKind Kind, long PassChannels,
    long ChangeChannels, FoldedConv[] Network);

/// <summary>One level: its shape after squeezing, its steps and, unless it is the last, its split prior.</summary>
/// <param name="Channels">Channels C_l the steps see.</param>
/// <param name="Height">Height H_l after squeezing.</param>
/// <param name="Width">Width W_l after squeezing.</param>
/// <param name="KeptChannels">Channels passed to the next level.</param>
/// <param name="SplitChannels">Channels factored out here (0 for the last level).</param>
/// <param name="Steps">The steps in forward order.</param>
/// <param name="PriorScore">Split prior giving [mean, -log std] (negated so the score graph needs no Neg).</param>
/// <param name="PriorSample">Split prior giving [mean, log std].</param>
internal sealed record FoldedLevel(long Channels, long Height, long Width, long KeptChannels, long SplitChannels,
    FoldedStep[] Steps, FoldedConv? PriorScore, FoldedConv? PriorSample);

/// <summary>A whole model, folded for export.</summary>
/// <param name="Architecture">The model's architecture.</param>
/// <param name="Levels">The levels, finest first.</param>
/// <param name="TopMean">The top prior's mean per channel.</param>
/// <param name="TopLogStd">The top prior's log std per channel.</param>
/// <param name="ConstantLogDensity">Every data-independent term of log p(x) in nats: the log-determinants of all
/// ActNorms and 1x1 convolutions, -D/2 log(2 pi), and -H W sum(log std) of the top prior.</param>
internal sealed record FoldedGlow(GlowArchitecture Architecture, FoldedLevel[] Levels, double[] TopMean,
    double[] TopLogStd, double ConstantLogDensity)
{
    /// <summary>Folds <paramref name="model"/>; every ActNorm must have been initialised (trained or loaded).</summary>
    public static FoldedGlow From(GlowModel model)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var a = model.Architecture;
        double constant = -a.Dimensions * 0.5 * Math.Log(2 * Math.PI);
        long height = a.Height, width = a.Width, channels = a.Channels;
        var levels = new FoldedLevel[model.Levels.Count];
        for (int i = 0; i < levels.Length; i++)
        {
            var level = model.Levels[i];
            channels = level.Channels;
            height /= a.SqueezingFactor;
            width /= a.SqueezingFactor;
            var steps = new FoldedStep[level.Steps.Count];
            for (int j = 0; j < steps.Length; j++)
            {
                string where = $"level {i} step {j}";
                var (step, logDet) = FoldStep(level.Steps[j], where);
                steps[j] = step;
                constant += height * width * logDet;
            }

            FoldedConv? priorScore = null, priorSample = null;
            if (level.Prior is SplitPrior prior)
            {
                var conv = ScaledZeroConv(prior.Conv);
                priorSample = conv;
                priorScore = NegateOutputs(conv, level.SplitChannels, level.SplitChannels, 0.0);
            }

            levels[i] = new FoldedLevel(channels, height, width, level.KeptChannels, level.SplitChannels, steps,
                priorScore, priorSample);
        }

        var topMean = Doubles(model.TopMean);
        var topLogStd = Doubles(model.TopLogStd);
        constant -= height * width * topLogStd.Sum();
        return new FoldedGlow(a, levels, topMean, topLogStd, constant);
    }

    /// <summary>Folds one step; returns it with its per-pixel log-determinant (ActNorm plus mixing).</summary>
    private static (FoldedStep Step, double LogDetPerPixel) FoldStep(GlowStep step, string where)
    {
        var norm = step.ActNorm;
        RequireInitialised(norm, $"{where} ActNorm");
        var scale = Doubles(norm.LogScale).Select(Math.Exp).ToArray();
        var bias = Doubles(norm.Bias);
        long c = scale.Length;
        var weight = MixingMatrix(step.Permutation, c).to_type(ScalarType.Float64);
        var (_, logAbsDet) = torch.linalg.slogdet(weight);
        var w = Doubles(weight);
        var inverse = Doubles(torch.linalg.inv(weight));
        var mix = new float[c * c];
        var mixBias = new float[c];
        var unmix = new float[c * c];
        var unmixBias = new float[c];
        for (long o = 0; o < c; o++)
        {
            double shifted = 0;
            for (long k = 0; k < c; k++)
            {
                mix[o * c + k] = (float)(w[o * c + k] * scale[k]);
                unmix[o * c + k] = (float)(inverse[o * c + k] / scale[o]);
                shifted += w[o * c + k] * bias[k] * scale[k];
            }

            mixBias[o] = (float)shifted;
            unmixBias[o] = (float)-bias[o];
        }

        double logDet = Doubles(norm.LogScale).Sum() + logAbsDet.item<double>();
        var coupling = step.Coupling;
        var net = coupling.Network;
        RequireInitialised(net.InputNorm, $"{where} coupling network, first ActNorm");
        RequireInitialised(net.HiddenNorm, $"{where} coupling network, hidden ActNorm");
        var output = ScaledZeroConv(net.Output);
        if (coupling.Kind == CouplingKind.Affine)
        {
            output = NegateOutputs(output, coupling.ChangeChannels, coupling.ChangeChannels, 2.0);
        }

        var network = new[]
        {
            ConvThenActNorm(net.InputWeight, net.InputNorm),
            ConvThenActNorm(net.HiddenWeight, net.HiddenNorm),
            output,
        };
        var folded = new FoldedStep(new FoldedConv(mix, mixBias, c, c, 1), new FoldedConv(unmix, unmixBias, c, c, 1),
            coupling.Kind, coupling.PassChannels, coupling.ChangeChannels, network);
        return (folded, logDet);
    }

    /// <summary>The step's channel mixing as a matrix W [C, C] with z = W x per pixel.</summary>
    private static Tensor MixingMatrix(FlowLayer permutation, long channels)
    {
        switch (permutation)
        {
            case InvertibleConv1x1 conv:
                return conv.Weight();
            case PlainConv1x1 plain:
                return plain.Weight();
            case ChannelPermutation fixedOrder:
                // z[:, i] = x[:, order[i]] is the matrix with a one at (i, order[i]).
                var order = fixedOrder.Order;
                var matrix = new double[channels * channels];
                for (long i = 0; i < channels; i++)
                {
                    matrix[i * channels + order[i]] = 1.0;
                }

                return torch.tensor(matrix, new[] { channels, channels }, dtype: ScalarType.Float64);
            default:
                throw new NotSupportedException(
                    $"ONNX export does not know the channel mixing layer {permutation.GetType().Name}.");
        }
    }

    /// <summary>ActNorm(conv(x)) = (conv(x) + b) * s = conv with weight s W and bias s b.</summary>
    private static FoldedConv ConvThenActNorm(Tensor convWeight, ActNorm norm)
    {
        var shape = convWeight.shape;
        var weight = Doubles(convWeight);
        var scale = Doubles(norm.LogScale).Select(Math.Exp).ToArray();
        var bias = Doubles(norm.Bias);
        long perOutput = weight.Length / shape[0];
        var folded = new float[weight.Length];
        for (long i = 0; i < weight.Length; i++)
        {
            folded[i] = (float)(weight[i] * scale[i / perOutput]);
        }

        var foldedBias = bias.Select((b, o) => (float)(b * scale[o])).ToArray();
        return new FoldedConv(folded, foldedBias, shape[0], shape[1], shape[2]);
    }

    /// <summary>A zero-initialised convolution with its exp(3 * logscale) output factor folded in.</summary>
    private static FoldedConv ScaledZeroConv(ZeroConv2d conv)
    {
        var shape = conv.Weight.shape;
        var weight = Doubles(conv.Weight);
        var bias = Doubles(conv.Bias);
        var scale = Doubles(conv.OutputScale());
        long perOutput = weight.Length / shape[0];
        var folded = new float[weight.Length];
        for (long i = 0; i < weight.Length; i++)
        {
            folded[i] = (float)(weight[i] * scale[i / perOutput]);
        }

        var foldedBias = bias.Select((b, o) => (float)(b * scale[o])).ToArray();
        return new FoldedConv(folded, foldedBias, shape[0], shape[1], shape[2]);
    }

    /// <summary>Outputs [from, from + count) become -(output + offset); the others stay.</summary>
    private static FoldedConv NegateOutputs(FoldedConv conv, long from, long count, double offset)
    {
        var weight = (float[])conv.Weight.Clone();
        var bias = (float[])conv.Bias.Clone();
        long perOutput = weight.Length / conv.OutChannels;
        for (long o = from; o < from + count; o++)
        {
            for (long i = o * perOutput; i < (o + 1) * perOutput; i++)
            {
                weight[i] = -weight[i];
            }

            bias[o] = (float)-(bias[o] + offset);
        }

        return conv with { Weight = weight, Bias = bias };
    }

    private static void RequireInitialised(ActNorm norm, string where)
    {
        if (!norm.IsInitialized)
        {
            throw new InvalidOperationException($"Cannot export: the {where} was never initialised from data, "
                + "so the model would still change on its first batch. Train or load the model before exporting.");
        }
    }

    private static double[] Doubles(Tensor t) =>
        t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
