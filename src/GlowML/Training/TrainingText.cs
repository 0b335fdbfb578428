using System.Globalization;

namespace GlowML.Training;

/// <summary>The one wording of progress lines, shared by the console, verbose.log and MLContext.Log.</summary>
public static class TrainingText
{
    /// <summary>"epoch 1 step 50/937 | 4.1234 bits/dim | lr 1.00e-03 | 245.3 img/s | eta 3m12s".</summary>
    public static string Step(StepReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch} step {r.Step}/{r.StepsPerEpoch} | {r.BitsPerDim:F4} bits/dim | lr {r.LearningRate:0.00e+00}"
            + $" | {r.ImagesPerSecond:F1} img/s | eta {Duration(r.EtaSeconds)}");
    }

    /// <summary>"epoch 1 done | train 3.95 bits/dim | validation 3.80 bits/dim | lr ... | 241 s (248.9 img/s)".</summary>
    public static string Epoch(EpochRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var validation = double.IsNaN(r.ValidationBitsPerDim) ? "no validation data"
            : string.Create(CultureInfo.InvariantCulture, $"validation {r.ValidationBitsPerDim:F4} bits/dim");
        var skipped = r.SkippedSteps > 0 ? $" | {r.SkippedSteps} steps skipped" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch} done | train {r.TrainBitsPerDim:F4} bits/dim | {validation} | lr {r.LearningRate:0.00e+00}"
            + $" | {r.Seconds:F1} s ({r.ImagesPerSecond:F1} img/s){skipped}");
    }

    /// <summary>Seconds as "1h02m", "3m12s" or "45s".</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            return "?";
        }

        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
    }
}
