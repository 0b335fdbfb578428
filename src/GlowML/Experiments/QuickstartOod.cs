using GlowML.Data;
using GlowML.Model;
using GlowML.Ood;

namespace GlowML.Experiments;

/// <summary>The quickstart's out-of-distribution step: its Fashion-MNIST test slice against the MNIST slice and
/// the synthetic constant and noise sets, scored by likelihood and by S = bpd - L with PNG and WebP.</summary>
internal static class QuickstartOod
{
    public static IReadOnlyDictionary<(string OutSet, string Method), double> Evaluate(GlowModel model,
        string dataDirectory, string reportDirectory)
    {
        var shape = model.Architecture;
        NamedImageSet Named(string name, string file) => new(name,
            IdxReader.ReadImages(Path.Combine(dataDirectory, file)));
        using var inSet = Named("fashion-mnist", "fashion-mnist-t10k-images-idx3-ubyte.gz");
        using var mnist = Named("mnist", "mnist-t10k-images-idx3-ubyte.gz");
        int count = (int)inSet.Images.Count;
        using var constant = DatasetSpec.Load("constant", dataDirectory, shape, count, seed: 1);
        using var noise = DatasetSpec.Load("noise", dataDirectory, shape, count, seed: 1);
        var estimators = ComplexityEstimators.Names.Select(ComplexityEstimators.Create).ToList();
        var evaluation = OodEvaluationRunner.Run(model, inSet, new[] { mnist, constant, noise }, estimators,
            reportDirectory, batchSize: 250);
        return evaluation.OutSets
            .SelectMany(o => o.Methods.Select(m => (Key: (o.OutSet, m.Method), m.Metrics.Auroc)))
            .ToDictionary(p => p.Key, p => p.Auroc);
    }
}
