using System.Globalization;

namespace Spindle.Bench.Suites;

/// <summary>
/// One target (issues 5 and 14): <see cref="Row"/>'s Spindle time over <see cref="Peer"/>'s (another row's Spindle time,
/// or with <see cref="Peer"/> null, the row's own host time) must be at most <see cref="Limit"/>.
/// </summary>
public sealed record BenchTarget(string Row, string? Peer, double Limit)
{
    /// <summary>The ratio in <paramref name="rows"/> (one run), or null if either side was not measured.</summary>
    public double? Ratio(IReadOnlyList<BenchRow> rows)
    {
        var row = rows.FirstOrDefault(r => r.Name == Row);
        if (row == null) return null;
        if (Peer == null) return row.Ratio;
        var peer = rows.FirstOrDefault(r => r.Name == Peer);
        return row.SpindleUs is { } s && peer?.SpindleUs is { } p && p > 0 ? s / p : null;
    }
}

/// <summary>The targets the bench is held to, checked against the rows of the same run.</summary>
public static class BenchTargets
{
    /// <summary>Every target, in the issue's order.</summary>
    public static readonly IReadOnlyList<BenchTarget> All =
    [
        new("system-call", null, 1.0),
        new("cross-address-space-call", null, 0.2),
        new("ping-pong-kernel", null, 0.2),
        new("fork-join-kernel", null, 0.2),
        new("ping-pong-user-integrated", null, 0.3),
        new("vm-trap", null, 0.2),
        new("vm-fault", null, 0.2),
        new("vm-appel1", null, 0.2),
        new("vm-appel2", null, 0.2),
        new("vm-prot100", null, 0.5),
        new("protected-in-kernel-call", "direct-call", 2.0),
        new("raise-1-guarded", "direct-call", 4.0),
        new("raise-1000-indexed-guards", "raise-1-guarded", 3.0),
        new("coremark_like", null, 1.0),        // issue 14: guest code at least as fast as qemu-riscv64
        new("sieve_sort", null, 1.0),
    ];

    /// <summary>Writes one line per target whose rows this run measured: the ratio, the limit, met or missed.</summary>
    public static void Write(TextWriter w, IReadOnlyList<BenchRow> rows)
    {
        var measured = All.Select(t => (t, ratio: t.Ratio(rows))).Where(x => x.ratio != null).ToList();
        if (measured.Count == 0) return;
        w.WriteLine();
        w.WriteLine("Targets (ratios within this run)");
        foreach (var (t, ratio) in measured)
        {
            string what = $"{t.Row} / {t.Peer ?? "host"}";
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {what,-52} {ratio,7:F2}x  limit {t.Limit,4:F1}x  {(ratio <= t.Limit ? "met" : "MISSED")}"));
        }
    }
}
