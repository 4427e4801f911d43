using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Spindle.Bench.Suites;

/// <summary>
/// Guest CPU speed and start-up against qemu-riscv64, in the same run (issue 14). Each workload (a compute-bound C
/// program of user/bench, cross-compiled -static -O2) runs as a separate process: <c>spindle run --stats</c> with
/// the default engine, and qemu-riscv64; both must print the same. A row's MIPS are the guest instructions Spindle
/// counted over each side's wall time (process start to exit, start-up included on both sides); the median run
/// of each side is kept. The <c>startup</c> row runs a program that returns at once: wall seconds and peak
/// resident memory (GNU time's maximum resident set) of both. Spindle is run as this process was started (the
/// same CLI assembly), so the figures are those of the build being measured, after one untimed run that fills
/// the compiled-extension cache.
/// </summary>
/// <remarks>Contract: qemu-riscv64 and /usr/bin/time on PATH (scripts/deps.sh); a missing one makes the rows n/a
/// with the reason, not a failure of the bench.</remarks>
public sealed partial class CpuSuite : BenchSuite
{
    /// <summary>The workloads: program and its argument (its size) for steady and quick runs.</summary>
    private static readonly (string Program, string Steady, string Quick)[] Workloads =
    [
        ("coremark_like.c", "15000", "3000"),
        ("sieve_sort.c", "10", "2"),
    ];

    private const string StartupProgram = "exit0.c";
    private const string Qemu = "qemu-riscv64", GnuTime = "/usr/bin/time";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public override string Name => "cpu";

    public override string Title => "Guest CPU against qemu-riscv64 (us per run; ratio = Spindle's time over qemu's)";

    public override IReadOnlyList<BenchRow> Run(BenchSession session)
    {
        bool quick = session.Settings == BenchSettings.Quick;
        int runs = quick ? 1 : 3;
        var rows = new List<BenchRow>();
        session.Progress("warm-up: one untimed Spindle run (the personality compiled into the cache if it is not there)");
        try { Start([.. SpindleCommand(), "run", session.Programs.CompileForSpindle(StartupProgram)]); }
        catch (InvalidOperationException) { }       // the startup row reports why
        foreach (var (program, steady, small) in Workloads)
        {
            string name = Path.GetFileNameWithoutExtension(program);
            session.Progress($"{name}: {runs} run(s) each under Spindle and qemu-riscv64");
            rows.Add(Workload(session.Programs, program, name, quick ? small : steady, runs));
        }
        session.Progress("startup: a program that returns at once");
        rows.Add(Startup(session.Programs, quick ? 3 : 7));
        return rows;
    }

    // One workload's row: the median run of each side, MIPS from Spindle's instruction count.
    private BenchRow Workload(BenchPrograms programs, string program, string name, string size, int runs)
    {
        string exe;
        try { exe = programs.CompileForSpindle(program); }
        catch (InvalidOperationException e) { return NotAvailable(name, null, e.Message); }
        var (spindle, qemu, why) = Interleave([Qemu, exe, size], [.. SpindleCommand(), "run", "--stats", exe, size], runs, measureMemory: false);
        if (why != null) return NotAvailable(name, null, why);
        double ss = Measure.Median(spindle.Select(r => r.Seconds).ToList()), qs = Measure.Median(qemu.Select(r => r.Seconds).ToList());
        Match m = StatsLine().Match(spindle[0].Stderr);
        if (!m.Success) return NotAvailable(name, qs * 1e6, "no --stats line from spindle run");
        double instructions = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return new BenchRow(Name, name, ss * 1e6, qs * 1e6, default, null, new Dictionary<string, double?>
        {
            ["spindle_mips"] = instructions / ss / 1e6,
            ["qemu_mips"] = instructions / qs / 1e6,
            ["spindle_s"] = ss,
            ["qemu_s"] = qs,
        });
    }

    // The start-up row: medians of wall seconds and of peak resident MiB of a program that returns at once.
    private BenchRow Startup(BenchPrograms programs, int runs)
    {
        const string name = "startup";
        if (!File.Exists(GnuTime)) return NotAvailable(name, null, $"{GnuTime} is missing (scripts/deps.sh installs GNU time)");
        string exe;
        try { exe = programs.CompileForSpindle(StartupProgram); }
        catch (InvalidOperationException e) { return NotAvailable(name, null, e.Message); }
        var (spindle, qemu, why) = Interleave([Qemu, exe], [.. SpindleCommand(), "run", exe], runs, measureMemory: true);
        if (why != null) return NotAvailable(name, null, why);
        double ss = Measure.Median(spindle.Select(r => r.Seconds).ToList()), qs = Measure.Median(qemu.Select(r => r.Seconds).ToList());
        return new BenchRow(Name, name, ss * 1e6, qs * 1e6, default, null, new Dictionary<string, double?>
        {
            ["spindle_s"] = ss,
            ["qemu_s"] = qs,
            ["spindle_mib"] = Measure.Median(spindle.Select(r => r.PeakMib).ToList()),
            ["qemu_mib"] = Measure.Median(qemu.Select(r => r.PeakMib).ToList()),
        });
    }

    // Runs both commands `runs` times, interleaved so that both sides see the same load; the reason if a run
    // failed or the two printed different things.
    private static (List<Sample> Spindle, List<Sample> Qemu, string? Why) Interleave(string[] qemu, string[] spindle, int runs, bool measureMemory)
    {
        var (s, q) = (new List<Sample>(), new List<Sample>());
        for (int i = 0; i < runs; i++)
        {
            Sample qr = Start(qemu, measureMemory);
            if (qr.Failure != null) return (s, q, $"qemu-riscv64: {qr.Failure}");
            Sample sr = Start(spindle, measureMemory);
            if (sr.Failure != null) return (s, q, $"Spindle: {sr.Failure}");
            if (sr.Stdout != qr.Stdout) return (s, q, "Spindle's output differs from qemu-riscv64's");
            q.Add(qr);
            s.Add(sr);
        }
        return (s, q, null);
    }

    // How to start the CLI this process runs: `dotnet spindle.dll` or the CLI's own executable.
    private static string[] SpindleCommand()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        string cli = Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly");
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, cli] : [host];
    }

    private sealed record Sample(double Seconds, double PeakMib, string Stdout, string Stderr, string? Failure);

    // Runs a command to its end: its wall time, and with measureMemory its peak resident set through GNU time
    // (written to a file, so that the command's own standard error stays its own).
    private static Sample Start(string[] command, bool measureMemory = false)
    {
        string? memoryFile = measureMemory ? Path.GetTempFileName() : null;
        string[] argv = memoryFile != null ? [GnuTime, "-f", "%M", "-o", memoryFile, .. command] : command;
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in argv[1..]) psi.ArgumentList.Add(a);
        try
        {
            var clock = Stopwatch.StartNew();
            Process p;
            try { p = Process.Start(psi)!; }
            catch (System.ComponentModel.Win32Exception) { return new Sample(0, 0, "", "", $"{argv[0]} is not installed (scripts/deps.sh)"); }
            using (p)
            {
                var stderr = p.StandardError.ReadToEndAsync();
                string stdout = p.StandardOutput.ReadToEnd();
                if (!p.WaitForExit(Limit))
                {
                    p.Kill(entireProcessTree: true);
                    return new Sample(0, 0, "", "", $"did not finish in {Limit.TotalMinutes} minutes");
                }
                double seconds = clock.Elapsed.TotalSeconds;
                string err = stderr.Result;
                if (p.ExitCode != 0) return new Sample(seconds, 0, stdout, err, $"exit status {p.ExitCode}: {err.Trim()}");
                double kib = memoryFile != null && double.TryParse(File.ReadAllText(memoryFile).Trim().Split('\n')[^1],
                    NumberStyles.Float, CultureInfo.InvariantCulture, out double k) ? k : 0;
                return new Sample(seconds, kib / 1024, stdout, err, null);
            }
        }
        finally
        {
            if (memoryFile != null) File.Delete(memoryFile);
        }
    }

    [GeneratedRegex(@"^spindle: ([0-9]+) instructions", RegexOptions.Multiline)]
    private static partial Regex StatsLine();
}
