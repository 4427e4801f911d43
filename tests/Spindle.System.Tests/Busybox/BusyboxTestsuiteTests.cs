using Spindle.System.Tests.Support;
using Xunit.Abstractions;

namespace Spindle.System.Tests.Busybox;

/// <summary>
/// busybox's own test suite (testsuite/runtest, through scripts/busybox-testsuite.sh) under qemu-riscv64 and
/// under Spindle in the same test: every test that passes under qemu passes under Spindle, except those in
/// <see cref="KnownFailures"/> (with why). Each applet call is one `spindle run` (about a second), so the
/// suite runs for <see cref="Applets"/> only; docs/USERLAND.md gives the whole suite's counts.
/// </summary>
public class BusyboxTestsuiteTests(ITestOutputHelper output)
{
    /// <summary>The applets whose tests run (runtest's arguments: old-style folders and NAME.tests).</summary>
    /// (Few, so that the test stays well inside CI's 10-minute hang limit on a loaded machine.)
    public static readonly string[] Applets = ["cut", "tr", "dirname", "basename"];

    /// <summary>Tests that pass under qemu and fail under Spindle today, with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownFailures = new Dictionary<string, string>();

    [Fact]
    public void EveryTestPassingUnderQemuPassesUnderSpindle()
    {
        var qemu = Run("qemu");
        var spindle = Run("spindle");
        var passQemu = qemu.Where(kv => kv.Value == "PASS").Select(kv => kv.Key).ToHashSet();
        foreach (var (who, verdicts) in new[] { ("qemu", qemu), ("spindle", spindle) })
            output.WriteLine($"{who}: " + string.Join(", ", verdicts.GroupBy(kv => kv.Value).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")));
        Assert.True(passQemu.Count >= 30, $"qemu passed only {passQemu.Count} tests: the harness is broken");
        var lost = passQemu.Where(t => spindle.GetValueOrDefault(t) != "PASS" && !KnownFailures.ContainsKey(t)).Order().ToList();
        Assert.True(lost.Count == 0, $"pass under qemu, not under Spindle ({spindle.Count(kv => kv.Value == "PASS")} of {passQemu.Count}):\n" +
            string.Join("\n", lost.Select(t => $"  {t}: {spindle.GetValueOrDefault(t, "missing")}")));
        var mended = KnownFailures.Keys.Where(t => spindle.GetValueOrDefault(t) == "PASS").ToList();
        Assert.True(mended.Count == 0, $"now pass under Spindle: remove from KnownFailures: {string.Join(", ", mended)}");
    }

    // Runs the suite under runner; returns each test's last verdict (PASS, FAIL, SKIPPED, UNTESTED) by name.
    private static Dictionary<string, string> Run(string runner)
    {
        _ = BusyboxUserland.Binary;
        string dir = Path.Combine(Path.GetTempPath(), $"spindle-bbtest-{runner}-{Guid.NewGuid():N}");
        try
        {
            var env = new Dictionary<string, string>
            {
                ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
                ["LANG"] = "C",
                ["SPINDLE_DLL"] = SpindleRunner.Dll,
            };
            var r = ProcessRunner.Run(Tools.Require("sh", "a POSIX shell"),
                [Path.Combine(Repo.Root, "scripts", "busybox-testsuite.sh"), runner, dir, .. Applets], [], env, TimeSpan.FromMinutes(40));
            Assert.False(r.TimedOut, r.Describe($"busybox-testsuite.sh {runner}"));
            var verdicts = new Dictionary<string, string>();
            foreach (string line in File.ReadAllLines(Path.Combine(dir, "result.txt")))
            {
                int colon = line.IndexOf(": ", StringComparison.Ordinal);
                if (colon > 0 && line[..colon] is "PASS" or "FAIL" or "SKIPPED" or "UNTESTED") verdicts[line[(colon + 2)..]] = line[..colon];
            }
            return verdicts;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
