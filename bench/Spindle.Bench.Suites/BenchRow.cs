namespace Spindle.Bench.Suites;

/// <summary>The 1995 figures for one row (DEC Alpha 133 MHz, microseconds); null where the paper has none.</summary>
public readonly record struct PaperFigure(double? Spin, double? Osf1 = null, double? Mach = null);

/// <summary>
/// One measured row: microseconds per operation (median of repetitions) on Spindle and on the host, or null
/// with <see cref="Note"/> saying why the side could not be measured. <see cref="Fields"/>: a suite's own
/// figures, written as they are into the row's JSON (the cpu suite's MIPS, seconds and MiB).
/// </summary>
public sealed record BenchRow(string Suite, string Name, double? SpindleUs, double? HostUs, PaperFigure Paper, string? Note = null,
    IReadOnlyDictionary<string, double?>? Fields = null)
{
    /// <summary>Spindle's time over the host's, when both exist.</summary>
    public double? Ratio => SpindleUs is { } s && HostUs is { } h && h > 0 ? s / h : null;
}
