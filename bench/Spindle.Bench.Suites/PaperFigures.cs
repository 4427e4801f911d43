namespace Spindle.Bench.Suites;

/// <summary>
/// The published figures of SOSP 1995 (and OSDI 1996 for the dispatcher), as restated in ../shared/docs/SPIN-FACTS.md,
/// keyed by bench row. Rows the paper has no figure for are absent.
/// </summary>
public static class PaperFigures
{
    private static readonly Dictionary<string, PaperFigure> Figures = new()
    {
        ["protected-in-kernel-call"] = new(0.13),
        ["system-call"] = new(4, 5, 7),
        ["cross-address-space-call"] = new(89, 845, 104),
        ["fork-join-kernel"] = new(22, 198, 101),
        ["ping-pong-kernel"] = new(17, 21, 71),
        ["fork-join-user-layered"] = new(262, 1230, 338),
        ["ping-pong-user-layered"] = new(159, 264, 115),
        ["fork-join-user-integrated"] = new(111, 1230, 338),
        ["ping-pong-user-integrated"] = new(85, 264, 115),
        ["vm-dirty"] = new(2),
        ["vm-fault"] = new(29, 329, 415),
        ["vm-trap"] = new(7, 260, 185),
        ["vm-prot1"] = new(16, 45, 106),
        ["vm-prot100"] = new(213, 1041, 1792),
        ["vm-unprot100"] = new(214, 1016, 302),
        ["vm-appel1"] = new(39, 382, 819),
        ["vm-appel2"] = new(29, 351, 608),
        // OSDI 1996: a procedure call 0.10-0.13, one handler 0.23-0.37 (low ends here), 50 handlers 2.5
        // inlined, installing one handler about 150.
        ["direct-call"] = new(0.10),
        ["raise-intrinsic"] = new(0.10),
        ["raise-1"] = new(0.23),
        ["raise-50"] = new(2.5),
        ["install-1"] = new(150),
    };

    /// <summary>
    /// The figure for <paramref name="row"/>. A "-signal" row (Appel-Li the Unix way) compares with OSF/1 and
    /// Mach only: the SPIN figure belongs to SPIN's way of doing it.
    /// </summary>
    public static PaperFigure For(string row)
    {
        const string Unix = "-signal";
        if (row.EndsWith(Unix, StringComparison.Ordinal))
            return Figures.TryGetValue(row[..^Unix.Length], out var f) ? f with { Spin = null } : default;
        return Figures.GetValueOrDefault(row);
    }
}
