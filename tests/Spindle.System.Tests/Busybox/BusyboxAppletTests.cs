using System.Text;
using Spindle.System.Tests.Differential;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Busybox;

/// <summary>
/// Each <see cref="AppletCorpus"/> command prints the same bytes on stdout and stderr and exits with the same
/// status under Spindle as under qemu-riscv64 (or prints its written expectation and exits 0, where qemu
/// cannot run it: <see cref="AppletCorpus.Case"/>). A command in <see cref="KnownDifferences"/> differs today for
/// the reason given there; its test asserts that it still differs, so that a fix removes it from the list.
/// </summary>
public class BusyboxAppletTests
{
    /// <summary>Commands that differ on Spindle today, with why (the failing call and its errno).</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownDifferences = new Dictionary<string, string>
    {
    };

    /// <summary>Every corpus command by name.</summary>
    public static TheoryData<string> Names => new(AppletCorpus.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void SpindleMatchesQemu(string name)
    {
        var c = AppletCorpus.Cases.Single(c => c.Name == name);
        using var roots = new BusyboxRoots(AppletCorpus.Populate);
        byte[] stdin = Encoding.UTF8.GetBytes(c.Stdin);
        var qemu = c.Expected == null ? roots.RunQemu(c.Argv, stdin) : new RunResult(Encoding.UTF8.GetBytes(c.Expected), "", 0, false);
        Assert.False(qemu.TimedOut, qemu.Describe("qemu"));
        var spindle = roots.RunSpindle(c.Argv, stdin);
        Assert.False(spindle.TimedOut, spindle.Describe("spindle"));

        string? diff = OutputDiff.FirstDifference(qemu.Stdout, spindle.Stdout)
            ?? (qemu.Stderr != spindle.Stderr ? $"stderr differs\n  qemu:    {qemu.Stderr}\n  spindle: {spindle.Stderr}" : null)
            ?? (qemu.ExitCode != spindle.ExitCode ? $"exit status qemu {qemu.ExitCode}, spindle {spindle.ExitCode}" : null);
        if (KnownDifferences.TryGetValue(name, out string? why))
            Assert.True(diff != null, $"{name} now matches qemu: remove it from KnownDifferences ({why})");
        else
            Assert.True(diff == null, $"{name}: {diff}\n{spindle.Describe("spindle")}");
    }
}
