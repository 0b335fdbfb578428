using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GlowML.Benchmarks;

/// <summary>Images per second: the images one invocation handles divided by the mean time of an invocation.</summary>
public sealed class ImagesPerSecondColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(ImagesPerSecondColumn);

    /// <inheritdoc />
    public string ColumnName => "Images/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Images handled per second (images per invocation / mean invocation time)";

    /// <summary>Images one invocation of <paramref name="benchmarkCase"/> handles.</summary>
    public static int ImagesPerInvocation(BenchmarkCase benchmarkCase)
    {
        var suiteCase = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<SuiteCase>().FirstOrDefault();
        if (suiteCase is { Images: > 0 })
        {
            return suiteCase.Images;
        }

        return DataLoadingBenchmarks.ImagesOf(benchmarkCase.Descriptor.WorkloadMethod.Name);
    }

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is not double nanoseconds || nanoseconds <= 0)
        {
            return "NA";
        }

        double perSecond = ImagesPerInvocation(benchmarkCase) / (nanoseconds / 1e9);
        return perSecond.ToString(perSecond >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
