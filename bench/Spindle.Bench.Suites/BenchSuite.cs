namespace Spindle.Bench.Suites;

/// <summary>What a suite needs while it runs: settings, the C programs, and a progress line writer.</summary>
public sealed record BenchSession(BenchSettings Settings, BenchPrograms Programs, Action<string> Progress);

/// <summary>One table of the paper: measures its rows in order.</summary>
public abstract class BenchSuite
{
    /// <summary>The suite's name on the command line and in the JSON.</summary>
    public abstract string Name { get; }

    /// <summary>The table's title.</summary>
    public abstract string Title { get; }

    /// <summary>Measures every row of the suite, reporting progress through the session.</summary>
    public abstract IReadOnlyList<BenchRow> Run(BenchSession session);

    /// <summary>The four suites of the paper's tables, in its order, then the storage and guest CPU suites.</summary>
    public static IReadOnlyList<BenchSuite> All { get; } =
        [new ProtectedSuite(), new ThreadsSuite(), new VmSuite(), new DispatcherSuite(), new FsSuite(), new CpuSuite()];

    /// <summary>A row whose Spindle side cannot run; <paramref name="why"/> goes in the footnote.</summary>
    protected BenchRow NotAvailable(string row, double? hostUs, string why) => new(Name, row, null, hostUs, PaperFigures.For(row), why);

    /// <summary>A row from a C program run on Spindle and on the host; n/a with the program's failure if Spindle could not run it.</summary>
    protected BenchRow FromPrograms(string row, ProgramOutput spindle, ProgramOutput? host)
    {
        double? s = spindle.Micros(row);
        string? note = s == null ? $"Spindle: {spindle.Failure ?? "no result reported"}" : null;
        return new BenchRow(Name, row, s, host?.Micros(row), PaperFigures.For(row), note);
    }

    /// <summary>A row measured in this process.</summary>
    protected BenchRow InProcess(string row, double spindleUs, double? hostUs = null, string? note = null) =>
        new(Name, row, spindleUs, hostUs, PaperFigures.For(row), note);
}
