using System.Diagnostics;
using Spindle.Bench.Suites;
using Spindle.Kernel.Compiler;

namespace Spindle.Cli;

/// <summary>
/// <c>spindle bench [SUITE...] [--quick] [--json FILE]</c>: reproduces the paper's tables (suites protected,
/// threads, vm, dispatcher; all when none is named) with Spindle, host Linux, their ratio and the 1995 figures,
/// then where each target of the measured rows stands. Progress goes to standard error. Exit status 0, or 2 on bad arguments.
/// </summary>
internal static class BenchCommand
{
    private const string Usage = "usage: spindle bench [SUITE...] [--quick] [--json FILE]   (suites: protected, threads, vm, dispatcher, fs, cpu)";

    public static int Execute(string[] args)
    {
        var suites = new List<BenchSuite>();
        bool quick = false;
        string? json = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--json" when i + 1 < args.Length: json = args[++i]; break;
                case "--json": return Fail("--json needs a FILE");
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default:
                    if (args[i].StartsWith('-')) return Fail($"unknown option '{args[i]}'");
                    var suite = BenchSuite.All.FirstOrDefault(s => s.Name == args[i]);
                    if (suite == null) return Fail($"unknown suite '{args[i]}'");
                    if (!suites.Contains(suite)) suites.Add(suite);
                    break;
            }
        }
        if (suites.Count == 0) suites.AddRange(BenchSuite.All);

        string machine = BenchReport.MachineLine();
        Console.WriteLine($"machine: {machine}");
        var clock = Stopwatch.StartNew();
        var all = new List<BenchRow>();
        var programs = new BenchPrograms(Path.Combine(SpindleHome.Default, "bench"));
        foreach (var suite in suites)
        {
            var session = new BenchSession(quick ? BenchSettings.Quick : BenchSettings.Steady, programs,
                step => Console.Error.WriteLine($"bench: [{clock.Elapsed:mm\\:ss}] {suite.Name}: {step}"));
            var rows = suite.Run(session);
            BenchReport.WriteTable(Console.Out, suite, rows);
            all.AddRange(rows);
        }
        BenchTargets.Write(Console.Out, all);
        if (json != null)
        {
            try { File.WriteAllText(json, BenchReport.Json(machine, all)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"spindle bench: --json {json}: {e.Message}");
                return 1;
            }
        }
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"spindle bench: {message}\n{Usage}");
        return 2;
    }
}
