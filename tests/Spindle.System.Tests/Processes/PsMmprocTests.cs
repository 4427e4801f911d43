using global::System.Text.RegularExpressions;
using Spindle.System.Tests.Boot;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Processes;

/// <summary>/proc and ps under <c>spindle boot</c>: the shell's ps lists init, the shell and itself with their parents.</summary>
public sealed class PsMmprocTests
{
    private static RunResult Boot(string script)
    {
        var r = SpindleRunner.RunCli(["boot", "--root-folder", BootRoot.Riscv], global::System.Text.Encoding.UTF8.GetBytes(script),
            TimeSpan.FromSeconds(180));
        Assert.False(r.TimedOut, r.Describe("spindle boot"));
        Assert.True(r.ExitCode == 0, r.Describe("spindle boot"));
        return r;
    }

    [Fact]
    public void PsListsInitTheShellAndItself()
    {
        var r = Boot("ps\nexit\n");
        string[] lines = r.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 4, r.StdoutText);
        Assert.Equal("  PID  PPID STAT CMD", lines[0]);
        Assert.Matches(@"^ +1 +0 S +/sbin/init$", lines[1]);
        var sh = Regex.Match(lines[2], @"^ +(\d+) +1 S +-sh$");              // argv as /proc/PID/cmdline has it: init starts a login shell
        Assert.True(sh.Success, r.StdoutText);
        Assert.Matches($@"^ +\d+ +{sh.Groups[1].Value} R +ps$", lines[3]);
    }

    [Fact]
    public void ProcSelfIsTheReader()
    {
        var r = Boot("cat /proc/self/status\ncat /proc/1/cmdline\n");
        Assert.StartsWith("Name:\tcat\nUmask:\t0022\nState:\tR (running)\n", r.StdoutText);   // Linux's order
        Assert.Matches(@"\nPPid:\t2\n", r.StdoutText);
        Assert.Matches(@"\nThreads:\t1\n", r.StdoutText);
        Assert.EndsWith("\nSigCgt:\t0000000000000000\n/sbin/init\0", r.StdoutText);   // status ends with the signal masks, as Linux's
    }
}
