// ONNX export of a Glow model (opset 17, dynamic batch N) as two graphs that need neither TorchSharp nor libtorch:
// score (x -> z, the forward direction, with the log-likelihood) and sample (z -> x, the reverse direction).
// Data-independent parts (folded ActNorms, W^-1, log-determinants, the top prior) are constants, see FoldedGlow.
using System.Reflection;
using System.Text.Json;
using GlowML.Flows;
using GlowML.Model;
using Google.Protobuf;
using Onnx;

namespace GlowML.Onnx;

/// <summary>
/// Exports a <see cref="GlowModel"/> to ONNX for ONNX Runtime, ML.NET's ApplyOnnxModel or any ONNX server.
/// </summary>
/// <remarks>
/// <para>score.onnx: input <c>pixels</c> float [N, C, H, W] as value / 255 (what ML.NET's ExtractPixels gives with
/// scale 1/255). The graph applies <see cref="Quantization.BinCentres"/> first, then the flow. Outputs
/// <c>bits_per_dim</c> [N], <c>log_likelihood</c> [N] (discrete, in nats: log p(x) - D ln 2^pixel_depth) and
/// <c>latent</c> [N, C*H*W], the standardised noise of every level in <see cref="GlowEncoding.FlatNoise"/>
/// order.</para>
/// <para>sample.onnx: input <c>latent</c> [N, C*H*W] (multiply by the temperature before), output <c>pixels</c>
/// [N, C, H, W] clamped to [0, 1]. sample(score(x).latent) reconstructs x's bin centres; standard normal input
/// draws from the model.</para>
/// <para>Both carry metadata: glowml_graph (score / sample), glowml_version, channels, height, width,
/// pixel_depth, latent_dimensions, config (JSON), plus any the caller adds.</para>
/// </remarks>
public static class GlowOnnxExporter
{
    /// <summary>The ONNX operator set the graphs use.</summary>
    public const int OpsetVersion = 17;

    /// <summary>File name of the score graph.</summary>
    public const string ScoreFileName = "score.onnx";

    /// <summary>File name of the sample graph.</summary>
    public const string SampleFileName = "sample.onnx";

    // IR version 8 is the one that goes with opset 17.
    private const long IrVersion = 8;
    private const string Batch = "N";

    /// <summary>
    /// Writes score.onnx and sample.onnx for <paramref name="model"/> into <paramref name="outputDir"/> (created if
    /// needed; existing files are replaced atomically). <paramref name="metadata"/> is stored in both; its
    /// <c>config</c> entry, if present, replaces the architecture JSON stored under that key.
    /// </summary>
    public static GlowOnnxFiles Export(GlowModel model, string outputDir,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDir);
        var folded = FoldedGlow.From(model);
        var score = Path.Combine(outputDir, ScoreFileName);
        var sample = Path.Combine(outputDir, SampleFileName);
        AtomicFile.Write(score, stream => BuildScoreModel(folded, metadata).WriteTo(stream));
        AtomicFile.Write(sample, stream => BuildSampleModel(folded, metadata).WriteTo(stream));
        return new GlowOnnxFiles(score, sample);
    }

    /// <summary>The score graph of <paramref name="model"/> as an ONNX model (see the remarks).</summary>
    public static ModelProto BuildScoreModel(GlowModel model, IReadOnlyDictionary<string, string>? metadata = null) =>
        BuildScoreModel(FoldedGlow.From(model), metadata);

    /// <summary>The sample graph of <paramref name="model"/> as an ONNX model (see the remarks).</summary>
    public static ModelProto BuildSampleModel(GlowModel model, IReadOnlyDictionary<string, string>? metadata = null) =>
        BuildSampleModel(FoldedGlow.From(model), metadata);

    /// <summary>The GlowML version written into the metadata.</summary>
    public static string GlowMLVersion =>
        typeof(GlowOnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion ?? typeof(GlowOnnxExporter).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static ModelProto BuildScoreModel(FoldedGlow glow, IReadOnlyDictionary<string, string>? metadata)
    {
        var a = glow.Architecture;
        var g = new OnnxGraphBuilder("glowml_score");
        var pixels = g.Input("pixels", Batch, (long)a.Channels, (long)a.Height, (long)a.Width);

        // Quantization.BinCentres: recover the byte, floor it to pixel_depth bits, take the bin centre; then the
        // model's x - 0.5. Powers of two make every multiplication here exact.
        var bytes = g.Node("Clip", new[] { g.Node("Round", new[] { g.Mul(pixels, g.Scalar("c255", 255)) }),
            g.Scalar("c0", 0), g.Scalar("c255", 255) });
        var levels = a.PixelDepth == 8
            ? bytes
            : g.Node("Floor", new[] { g.Mul(bytes, g.Scalar("to_depth", 1.0 / (1 << (8 - a.PixelDepth)))) });
        double n = Quantization.Levels(a.PixelDepth);
        var h = g.Add(g.Mul(levels, g.Scalar("inv_levels", 1.0 / n)), g.Scalar("centre", 0.5 / n - 0.5));

        // Data-dependent log-density terms [B, ...] with their sign; everything else is in the constant.
        var terms = new List<(string Value, bool Subtract)>();
        var latents = new List<string>();
        long channels = a.Channels, height = a.Height, width = a.Width;
        foreach (var level in glow.Levels)
        {
            h = SqueezeNode(g, h, channels, height, width, a.SqueezingFactor);
            (channels, height, width) = (level.Channels, level.Height, level.Width);
            foreach (var step in level.Steps)
            {
                h = g.Conv(h, step.Mix, "mix");
                var halves = g.SplitChannels(h, step.PassChannels, step.ChangeChannels);
                var net = CouplingNetworkNodes(g, halves[0], step.Network);
                string changed;
                if (step.Kind == CouplingKind.Additive)
                {
                    changed = g.Add(halves[1], net);
                }
                else
                {
                    // net = [shift, -(raw + 2)]: softplus of the second is -log s; z_b = (x_b + shift) / exp(-log s).
                    var shiftAndScale = g.SplitChannels(net, step.ChangeChannels, step.ChangeChannels);
                    var minusLogScale = g.Softplus(shiftAndScale[1]);
                    changed = g.Div(g.Add(halves[1], shiftAndScale[0]), g.Exp(minusLogScale));
                    terms.Add((minusLogScale, true));
                }

                h = g.Concat(halves[0], changed);
            }

            string eps;
            if (level.PriorScore is FoldedConv prior)
            {
                var keptAndSplit = g.SplitChannels(h, level.KeptChannels, level.SplitChannels);
                var meanAndMinusLogStd = g.SplitChannels(g.Conv(keptAndSplit[0], prior, "prior"),
                    level.SplitChannels, level.SplitChannels);
                eps = g.Mul(g.Sub(keptAndSplit[1], meanAndMinusLogStd[0]), g.Exp(meanAndMinusLogStd[1]));
                terms.Add((meanAndMinusLogStd[1], false));
                h = keptAndSplit[0];
                channels = level.KeptChannels;
            }
            else
            {
                // eps = (z - mean) / std = z * (1 / std) - mean / std, per channel.
                var inverseStd = glow.TopLogStd.Select(s => Math.Exp(-s)).ToArray();
                var scale = g.Constant("top_inv_std", inverseStd.Select(v => (float)v).ToArray(),
                    1, inverseStd.Length, 1, 1);
                var offset = g.Constant("top_offset",
                    glow.TopMean.Select((m, c) => (float)(-m * inverseStd[c])).ToArray(), 1, inverseStd.Length, 1, 1);
                eps = g.Add(g.Mul(h, scale), offset);
            }

            latents.Add(g.Node("Flatten", new[] { eps }, null, OnnxGraphBuilder.Int("axis", 1)));
        }

        int d = a.Dimensions;
        var latent = g.Node(latents.Count == 1 ? "Identity" : "Concat", latents.ToArray(), "latent",
            latents.Count == 1 ? Array.Empty<AttributeProto>() : new[] { OnnxGraphBuilder.Int("axis", 1) });

        // log P(k) = constant - 0.5 * |eps|^2 + data-dependent terms - D ln n.
        var squares = g.Node("ReduceSumSquare", new[] { latent }, null, OnnxGraphBuilder.Ints("axes", 1),
            OnnxGraphBuilder.Int("keepdims", 0));
        var logLikelihood = g.Add(g.Mul(squares, g.Scalar("minus_half", -0.5)),
            g.Scalar("log_likelihood_constant", glow.ConstantLogDensity - d * Math.Log(n)));
        foreach (var (value, subtract) in terms)
        {
            var sum = g.SumPerItem(value, 4);
            logLikelihood = subtract ? g.Sub(logLikelihood, sum) : g.Add(logLikelihood, sum);
        }

        g.Node("Identity", new[] { logLikelihood }, "log_likelihood");
        g.Node("Mul", new[] { "log_likelihood", g.Scalar("to_bits", -1.0 / (d * Math.Log(2.0))) }, "bits_per_dim");
        g.Output("bits_per_dim", Batch);
        g.Output("log_likelihood", Batch);
        g.Output("latent", Batch, (long)d);
        return Wrap(g.Graph, glow, "score", metadata);
    }

    private static ModelProto BuildSampleModel(FoldedGlow glow, IReadOnlyDictionary<string, string>? metadata)
    {
        var a = glow.Architecture;
        var g = new OnnxGraphBuilder("glowml_sample");
        var latent = g.Input("latent", Batch, (long)a.Dimensions);
        var levels = glow.Levels;
        var sizes = levels
            .Select((l, i) => (i == levels.Length - 1 ? l.Channels : l.SplitChannels) * l.Height * l.Width)
            .ToArray();
        var parts = sizes.Length == 1
            ? new[] { latent }
            : g.Node("Split", new[] { latent, g.Int64s("split", sizes) }, sizes.Length, null,
                OnnxGraphBuilder.Int("axis", 1));

        string h = "";
        for (int i = levels.Length - 1; i >= 0; i--)
        {
            var level = levels[i];
            if (level.PriorSample is FoldedConv prior)
            {
                var eps = g.Reshape(parts[i], 0, level.SplitChannels, level.Height, level.Width);
                var meanAndLogStd = g.SplitChannels(g.Conv(h, prior, "prior"), level.SplitChannels,
                    level.SplitChannels);
                h = g.Concat(h, g.Add(meanAndLogStd[0], g.Mul(g.Exp(meanAndLogStd[1]), eps)));
            }
            else
            {
                var eps = g.Reshape(parts[i], 0, level.Channels, level.Height, level.Width);
                var std = g.Constant("top_std", glow.TopLogStd.Select(s => (float)Math.Exp(s)).ToArray(),
                    1, level.Channels, 1, 1);
                var mean = g.Constant("top_mean", glow.TopMean.Select(m => (float)m).ToArray(),
                    1, level.Channels, 1, 1);
                h = g.Add(g.Mul(eps, std), mean);
            }

            for (int j = level.Steps.Length - 1; j >= 0; j--)
            {
                var step = level.Steps[j];
                var halves = g.SplitChannels(h, step.PassChannels, step.ChangeChannels);
                var net = CouplingNetworkNodes(g, halves[0], step.Network);
                string restored;
                if (step.Kind == CouplingKind.Additive)
                {
                    restored = g.Sub(halves[1], net);
                }
                else
                {
                    // x_b = z_b * exp(-log s) - shift with -log s = softplus(-(raw + 2)).
                    var shiftAndScale = g.SplitChannels(net, step.ChangeChannels, step.ChangeChannels);
                    restored = g.Sub(g.Mul(halves[1], g.Exp(g.Softplus(shiftAndScale[1]))), shiftAndScale[0]);
                }

                h = g.Conv(g.Concat(halves[0], restored), step.Unmix, "unmix");
            }

            h = UnsqueezeNode(g, h, level.Channels, level.Height, level.Width, a.SqueezingFactor);
        }

        g.Node("Clip", new[] { g.Add(h, g.Scalar("half", 0.5)), g.Scalar("c0", 0), g.Scalar("c1", 1) }, "pixels");
        g.Output("pixels", Batch, (long)a.Channels, (long)a.Height, (long)a.Width);
        return Wrap(g.Graph, glow, "sample", metadata);
    }

    /// <summary>conv(k) -> ReLU -> conv(1x1) -> ReLU -> conv(k), ActNorms and scales folded in.</summary>
    private static string CouplingNetworkNodes(OnnxGraphBuilder g, string x, FoldedConv[] network)
    {
        var h = g.Relu(g.Conv(x, network[0], "nn_in"));
        h = g.Relu(g.Conv(h, network[1], "nn_hidden"));
        return g.Conv(h, network[2], "nn_out");
    }

    /// <summary>[N, C, H, W] -> [N, C f f, H/f, W/f] in <see cref="Squeeze.Apply"/>'s channel order.</summary>
    private static string SqueezeNode(OnnxGraphBuilder g, string x, long channels, long height, long width, int f)
    {
        var split = g.Reshape(x, 0, channels, height / f, f, width / f, f);
        var moved = g.Transpose(split, 0, 1, 3, 5, 2, 4);
        return g.Reshape(moved, 0, channels * f * f, height / f, width / f);
    }

    /// <summary>[N, C, H, W] -> [N, C/(f f), H f, W f], the inverse of <see cref="SqueezeNode"/>.</summary>
    private static string UnsqueezeNode(OnnxGraphBuilder g, string z, long channels, long height, long width, int f)
    {
        long outChannels = channels / (f * f);
        var split = g.Reshape(z, 0, outChannels, f, f, height, width);
        var moved = g.Transpose(split, 0, 1, 4, 2, 5, 3);
        return g.Reshape(moved, 0, outChannels, height * f, width * f);
    }

    private static ModelProto Wrap(GraphProto graph, FoldedGlow glow, string kind,
        IReadOnlyDictionary<string, string>? metadata)
    {
        var a = glow.Architecture;
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "GlowML",
            ProducerVersion = GlowMLVersion,
            Domain = "ai.glowml",
            DocString = kind == "score"
                ? "Glow score graph: pixels [N, C, H, W] (value/255) -> bits_per_dim, log_likelihood, latent."
                : "Glow sample graph: latent [N, C*H*W] (times temperature) -> pixels [N, C, H, W] in [0, 1].",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        var entries = new Dictionary<string, string>();
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            entries[key] = value;
        }

        entries.TryAdd("config", JsonSerializer.Serialize(a, GlowJson.Options));
        // The model's own facts win over caller metadata of the same name: the scorer trusts them.
        entries["glowml_graph"] = kind;
        entries["glowml_version"] = GlowMLVersion;
        entries["architecture"] = JsonSerializer.Serialize(a, GlowJson.Options);
        entries["channels"] = a.Channels.ToString(System.Globalization.CultureInfo.InvariantCulture);
        entries["height"] = a.Height.ToString(System.Globalization.CultureInfo.InvariantCulture);
        entries["width"] = a.Width.ToString(System.Globalization.CultureInfo.InvariantCulture);
        entries["pixel_depth"] = a.PixelDepth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        entries["latent_dimensions"] = a.Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }
}
