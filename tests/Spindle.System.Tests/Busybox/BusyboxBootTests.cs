using Spindle.System.Tests.Boot;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Busybox;

/// <summary>
/// <c>spindle boot</c> into busybox: Spindle's init starts busybox ash (a login shell: /etc/profile) on the
/// console, with every applet linked in /bin, /sbin, /usr/bin and /usr/sbin.
/// </summary>
public class BusyboxBootTests
{
    private static RunResult Boot(string script)
    {
        var r = SpindleRunner.RunCli(["boot", "--root-folder", BootRoot.WithBusybox], global::System.Text.Encoding.UTF8.GetBytes(script),
            TimeSpan.FromSeconds(300));
        Assert.False(r.TimedOut, r.Describe("spindle boot"));
        return r;
    }

    [Fact]
    public void LsBinCountsTheAppletLinksAndPsListsTheProcesses()
    {
        var r = Boot("ls /bin | wc -l\nps\nexit\n");
        string[] lines = r.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int inBin = Directory.GetFileSystemEntries(Path.Combine(BootRoot.WithBusybox, "bin")).Length;
        Assert.True(lines.Length >= 4 && lines[0].Trim() == inBin.ToString(), r.StdoutText + r.Describe("spindle boot"));
        Assert.Equal("PID   USER     COMMAND", lines[1].TrimEnd());
        Assert.Matches(@"^ +1 root +/sbin/init$", lines[2]);
        Assert.Matches(@"^ +\d+ root +\S*sh$", lines[3]);
        Assert.True(r.ExitCode == 0, r.Describe("spindle boot"));
    }

    [Fact]
    public void TheLoginShellReadsProfileAndEtcIsThere()
    {
        var r = Boot("echo $PATH\ncat /etc/hostname\ngrep ^root: /etc/passwd\nls /usr/bin/awk /sbin/ifconfig\n");
        Assert.Equal("/bin:/sbin:/usr/bin:/usr/sbin\nspindle\nroot:x:0:0:root:/root:/bin/sh\n/sbin/ifconfig\n/usr/bin/awk\n", r.StdoutText);
        Assert.True(r.ExitCode == 0, r.Describe("spindle boot"));
    }

    [Fact]
    public void AshRunsPipelinesLoopsAndBackgroundJobs()
    {
        var r = Boot("seq 5 | sort -rn | head -n 2 | tr '\\n' ' '; echo\nfor i in 1 2 3; do echo $((i * i)); done | awk '{ s += $1 } END { print s }'\n" +
                     "sleep 0.2 & echo started; wait; echo waited $?\nexit 3\n");
        Assert.Equal("5 4 \n14\nstarted\nwaited 0\n", r.StdoutText);
        Assert.True(r.ExitCode == 3, r.Describe("spindle boot"));
    }

    [Fact]
    public void OurOwnProgramsStayOnlyWhereBusyboxHasNoApplet()
    {
        string root = BootRoot.WithBusybox;
        Assert.Null(new FileInfo(Path.Combine(root, "bin", "extload")).LinkTarget);
        Assert.Null(new FileInfo(Path.Combine(root, "sbin", "init")).LinkTarget);
        foreach (string a in new[] { "sh", "ls", "cat", "ps", "kill", "sleep" })
            Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(root, "bin", a)).LinkTarget);
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(root, "usr", "bin", "wget")).LinkTarget);
    }
}
