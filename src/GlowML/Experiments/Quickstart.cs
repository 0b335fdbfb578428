using GlowML.Model;
using GlowML.Onnx;
using GlowML.Training;

namespace GlowML.Experiments;

/// <summary>
/// The main job end to end on a small real data set: train a Glow on Fashion-MNIST images, test it, write a sample
/// grid, a release, its ONNX export and an out-of-distribution report (MNIST, constant and noise images), all in
/// one folder. <c>glow quickstart</c> runs it on the Fashion-MNIST and MNIST slices embedded in the command.
/// </summary>
public static class Quickstart
{
    /// <summary>File names the data folder must hold (IDX gzip).</summary>
    public static readonly string[] DataFiles =
    {
        "fashion-mnist-train-images-idx3-ubyte.gz", "fashion-mnist-t10k-images-idx3-ubyte.gz",
        "mnist-t10k-images-idx3-ubyte.gz",
    };

    /// <summary>Runs every step into <paramref name="outputDirectory"/> (created; must not exist yet), reading the
    /// images in <paramref name="dataDirectory"/> and the experiment config in <paramref name="configJson"/>.</summary>
    public static QuickstartResult Run(string outputDirectory, string dataDirectory, string configJson,
        ITrainingObserver? observer = null, int? epochs = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        var output = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new IOException($"'{output}' already exists and is not empty; choose another --output.");
        }

        foreach (var file in DataFiles)
        {
            if (!File.Exists(Path.Combine(dataDirectory, file)))
            {
                throw new FileNotFoundException($"Quickstart data '{Path.Combine(dataDirectory, file)}' is missing.");
            }
        }

        Directory.CreateDirectory(output);
        var log = observer is null ? (Action<string>)(_ => { }) : observer.OnMessage;
        var configPath = Path.Combine(output, "config.json");
        File.WriteAllText(configPath, configJson);
        var experiment = Experiment.Create(output, "experiment", configPath);
        var request = new TrainRequest { MaxEpochs = epochs };
        var state = ExperimentRunner.Train(experiment, dataDirectory, request, observer, cancellation);

        int epoch = state.Epoch;
        log("testing");
        var test = ExperimentRunner.Test(experiment, dataDirectory, epoch, log: log);
        var samples = Path.Combine(output, "samples.png");
        File.Copy(test.SamplesPath, samples, overwrite: true);

        log("writing the release and its ONNX export");
        var release = Path.Combine(output, "fashion-mnist-quickstart.release.glow");
        File.Copy(ExperimentRunner.CreateRelease(experiment, epoch), release, overwrite: true);
        var (model, info) = GlowModelFile.Load(release);
        var onnx = Path.Combine(output, "onnx");
        GlowOnnxExporter.Export(model, onnx, info.Metadata);

        log("scoring out-of-distribution sets: mnist, constant, noise");
        var report = Path.Combine(output, "ood");
        var aurocs = QuickstartOod.Evaluate(model, dataDirectory, report);
        return new QuickstartResult(output, test.BitsPerDim, samples, release, onnx, report, aurocs);
    }
}
