using GlowML.Data;
using GlowML.Model;
using GlowML.Ood;

namespace GlowML.Samples.Readme;

public static class OodSnippet
{
    public static void Run(string dataPath)
    {
        // README:begin ood
        var (model, _) = GlowModelFile.Load("models/fashion-mnist/fashion-mnist.release.glow");
        var shape = model.Architecture;
        using var inSet = DatasetSpec.Load("fashion-mnist", dataPath, shape, count: 2000, seed: 1);
        using var mnist = DatasetSpec.Load("mnist", dataPath, shape, count: 2000, seed: 1);
        using var noise = DatasetSpec.Load("noise", dataPath, shape, count: 2000, seed: 1);

        // -log-likelihood and S = bpd - L (PNG, WebP) for each out-set; writes report.md, report.json and plots.
        OodEvaluation report = OodEvaluationRunner.Run(model, inSet, new[] { mnist, noise },
            new[] { ComplexityEstimators.Create("png"), ComplexityEstimators.Create("webp") }, "ood-report",
            batchSize: 256);
        double auroc = report.OutSets[0].Methods[1].Metrics.Auroc;   // mnist, S (png)
        // README:end
        Console.WriteLine(auroc);
    }
}
