using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.EventProcessors;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GlowML.Benchmarks;

/// <summary>
/// The 1-minute load average (/proc/loadavg) when each benchmark case started and when it ended, so that a figure
/// measured on a busy machine says so. Doubles as the event processor that takes the readings.
/// </summary>
public sealed class LoadAverageColumn : EventProcessor, IColumn
{
    private readonly ConcurrentDictionary<BenchmarkCase, (double Start, double End)> _readings = new();

    /// <inheritdoc />
    public string Id => nameof(LoadAverageColumn);

    /// <inheritdoc />
    public string ColumnName => "Load start/end";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 1;

    /// <inheritdoc />
    public bool IsNumeric => false;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "1-minute load average (uptime) when the case started / ended";

    /// <summary>The current 1-minute load average, or NaN where /proc/loadavg does not exist.</summary>
    public static double Read()
    {
        const string file = "/proc/loadavg";
        if (!File.Exists(file))
        {
            return double.NaN;
        }

        var first = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return double.Parse(first, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public override void OnStartRunBenchmark(BenchmarkCase benchmarkCase) =>
        _readings[benchmarkCase] = (Read(), double.NaN);

    /// <inheritdoc />
    public override void OnEndRunBenchmark(BenchmarkCase benchmarkCase, BenchmarkReport report) =>
        _readings[benchmarkCase] = (_readings.TryGetValue(benchmarkCase, out var r) ? r.Start : double.NaN, Read());

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        _readings.TryGetValue(benchmarkCase, out var r)
            ? string.Create(CultureInfo.InvariantCulture, $"{r.Start:F2}/{r.End:F2}")
            : "NA";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        GetValue(summary, benchmarkCase);

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
