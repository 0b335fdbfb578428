using GlowML.Data;
using GlowML.Model;
using static TorchSharp.torch;

namespace GlowML.Training;

/// <summary>Scoring helpers shared by training, <c>glow test</c> and the ML.NET transformer.</summary>
public static class Evaluation
{
    /// <summary>Bits/dim of every image in <paramref name="images"/> at bin centres, in evaluation mode.</summary>
    public static float[] BitsPerDim(GlowModel model, ImageSet images, int batchSize, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        var loader = new BatchLoader(images, new BatchLoaderOptions
        {
            BatchSize = batchSize,
            Shuffle = false,
            DropLast = false,
            PixelDepth = model.Architecture.PixelDepth,
            Mode = Dequantization.Center,
        });
        bool wasTraining = model.training;
        model.eval();
        var result = new List<float>((int)images.Count);
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in loader.Epoch(0))
            {
                using var scope = NewDisposeScope();
                result.AddRange(model.BitsPerDim(batch.to(device ?? CPU)).cpu().data<float>().ToArray());
                batch.Dispose();
            }
        }
        finally
        {
            model.train(wasTraining);
        }

        return result.ToArray();
    }

    /// <summary>Mean bits/dim of <paramref name="images"/> (NaN for an empty set).</summary>
    public static double MeanBitsPerDim(GlowModel model, ImageSet images, int batchSize, Device? device = null)
    {
        var scores = BitsPerDim(model, images, batchSize, device);
        return scores.Length == 0 ? double.NaN : scores.Average(s => (double)s);
    }
}
