using System.Text.Json;
using GlowML.Model;

namespace GlowML.Training;

/// <summary>
/// Training checkpoints: everything needed to resume (config, architecture, counters and history, weights and
/// optimiser moments), written atomically with a checksum, so Ctrl-C or a kill mid-write leaves the previous
/// checkpoint intact and a damaged one is refused by name.
/// </summary>
/// <remarks>
/// Layout, format version 1, inside <see cref="ChecksummedFile"/>'s envelope (magic "GLOWMLC\0", version, body,
/// SHA-256):
/// <code>
///   string  experiment config as JSON (as given; opaque here)
///   string  architecture as JSON
///   string  TrainingState as JSON (epoch, global step, learning rate, plateau counters, history)
///   block   int64 length + model state dict (TorchSharp Module.save)
///   block   int64 length + optimiser state dict (TorchSharp save_state_dict)
/// </code>
/// Data order, dequantisation noise and flips are derived from (seed, epoch, batch), so no random-generator state
/// needs saving for an exact resume.
/// </remarks>
public static class CheckpointFile
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string What = "GlowML checkpoint";
    private static readonly byte[] Magic = "GLOWMLC\0"u8.ToArray();

    /// <summary>Writes a checkpoint of <paramref name="trainer"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, string configJson, GlowTrainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        // The averaged weights are what test, sample and create-release should use; the optimiser block carries
        // the current ones for resuming.
        var weights = trainer.WithAveragedWeights(() => GlowModelFile.WeightsOf(trainer.Model));
        var optimizer = trainer.SaveOptimizer();
        ChecksummedFile.Write(path, Magic, FormatVersion, writer =>
        {
            writer.Write(configJson);
            writer.Write(JsonSerializer.Serialize(trainer.Model.Architecture, GlowJson.Options));
            writer.Write(JsonSerializer.Serialize(trainer.State, GlowJson.Options));
            ChecksummedFile.WriteBlock(writer, weights);
            ChecksummedFile.WriteBlock(writer, optimizer);
        });
    }

    /// <summary>Reads a checkpoint: its config text, a model with its weights (in evaluation mode), the counters
    /// and the optimiser bytes for <see cref="GlowTrainer.Restore"/>.</summary>
    public static Checkpoint Load(string path)
    {
        using var reader = ChecksummedFile.Open(path, Magic, FormatVersion, What);
        string config = reader.ReadString();
        var architecture = JsonSerializer.Deserialize<GlowArchitecture>(reader.ReadString(), GlowJson.Options)
            ?? throw new InvalidDataException($"{What} '{path}' has no architecture.");
        var state = JsonSerializer.Deserialize<TrainingState>(reader.ReadString(), GlowJson.Options)
            ?? throw new InvalidDataException($"{What} '{path}' has no training state.");
        var model = GlowModelFile.ModelFrom(architecture, ChecksummedFile.ReadBlock(reader));
        var optimizer = ChecksummedFile.ReadBlock(reader);
        return new Checkpoint(path, config, model, state, optimizer);
    }
}
