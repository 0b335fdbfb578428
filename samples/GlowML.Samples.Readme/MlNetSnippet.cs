using GlowML.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.Samples.Readme;

public static class MlNetSnippet
{
    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
    }

    public sealed class Scores
    {
        public float BitsPerDim { get; set; }

        public float OodScore { get; set; }
    }

    public static void Run(IEnumerable<ImageRow> trainImages, ImageRow someImage)
    {
        // README:begin mlnet
        var ml = new MLContext(seed: 1);
        IDataView images = ml.Data.LoadFromEnumerable(trainImages);   // rows with an ImagePath column

        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", imageWidth: 32, imageHeight: 32))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255f))
            .Append(ml.Transforms.Glow(new GlowEstimator.Options
            {
                InputColumnName = "Pixels",
                ComplexityColumnName = "Complexity",   // opt-in: PNG bits/dim of the image
                OodScoreColumnName = "OodScore",       // opt-in: S = BitsPerDim - Complexity
                Training = new() { MaxEpochs = 1, BatchSize = 64, LearningRate = 1e-3 },
            }));
        var model = pipeline.Fit(images);                  // progress goes to ml.Log

        IDataView scored = model.Transform(images);       // adds BitsPerDim, LogLikelihood, Complexity, OodScore
        float[] bitsPerDim = scored.GetColumn<float>("BitsPerDim").ToArray();

        var engine = ml.Model.CreatePredictionEngine<ImageRow, Scores>(model);
        Scores one = engine.Predict(someImage);

        ml.Model.SaveWithGlow(model, images.Schema, "glow-chain.zip");   // the whole chain, Glow included
        ITransformer again = ml.Model.LoadWithGlow("glow-chain.zip", out DataViewSchema schema);

        GlowTransformer glow = model.LastTransformer;
        GlowSamples samples = glow.Sample(count: 16, temperature: 0.7, seed: 1);
        samples.Images[0].Save("sample-0.png");
        // README:end
        Console.WriteLine($"{bitsPerDim.Length} {one.BitsPerDim} {again} {schema.Count}");
    }
}
