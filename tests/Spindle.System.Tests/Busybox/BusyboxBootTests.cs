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

    // The boot's machine memory (BootCommand's default) in kB: what free and /proc/meminfo must report as total.
    private const long BootMemoryKb = 512 * 1024;

    [Fact]
    public void PsFreeUptimeDfMountAndTopPrintTheSystemsFigures()
    {
        var r = Boot("ps\necho @free\nfree\necho @uptime\nuptime\necho @df\ndf\necho @mount\nmount\necho @top\ntop -b -n 1\n" +
                     "echo @self\nsh -c 'echo $$; cat /proc/$$/stat /proc/self/cmdline | tr \"\\0\" \" \"'\nexit\n");
        string o = r.StdoutText;
        string Part(string name) => o.Split("@" + name + "\n")[1].Split("\n@")[0] + "\n";
        Assert.True(r.ExitCode == 0 && o.Contains("@self\n"), r.Describe("spindle boot"));

        // ps: init, the login shell and ps itself (a forked shell running the applet, comm "ps").
        string[] ps = o.Split("@free")[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ +1 root +/sbin/init$", ps[1]);
        Assert.Matches(@"^ +2 root +-sh$", ps[2]);
        Assert.Matches(@"^ +\d+ root +\{ps\} -sh$", ps[^1]);

        // free: total is the machine's memory; used + free + buff/cache = total.
        string[] mem = Part("free").Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Mem:", mem[0]);
        Assert.Equal(BootMemoryKb, long.Parse(mem[1]));
        Assert.Equal(BootMemoryKb, long.Parse(mem[2]) + long.Parse(mem[3]) + long.Parse(mem[5]));
        Assert.InRange(long.Parse(mem[2]), 1, BootMemoryKb / 2);

        Assert.Matches(@"^ \d\d:\d\d:\d\d up +(\d+ min|\d+:\d\d),  0 users,  load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$", Part("uptime"));
        Assert.Matches(@"^Filesystem +1K-blocks +Used Available Use% Mounted on\ntmpfs +\d+ +\d+ +\d+ +\d+% /\n", Part("df"));
        Assert.Equal("tmpfs on / type tmpfs (rw)\ndevtmpfs on /dev type devtmpfs (rw)\nproc on /proc type proc (rw)\n", Part("mount"));

        string top = Part("top");
        Assert.Matches(@"^Mem: \d+K used, \d+K free, 0K shrd, 0K buff, 0K cached\n", top);
        Assert.Matches(@"\nLoad average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+\n", top);
        Assert.Matches(@"\n +1 +0 root +S\w* +0 +0% +0% /sbin/init\n", top);
        Assert.Matches(@"\n +\d+ +2 root +R\w* +0 +0% +0% top -b -n 1\n", top);

        // A shell's own /proc/PID/stat and a cat's cmdline, read by pid and through self.
        string[] self = Part("self").Split('\n');
        Assert.Matches($@"^{self[0]} \((sh|cat)\) [RS] 2 \d+ \d+ ", self[1]);   // ash may exec its last command
        Assert.Equal(52, self[1].Split(' ').Length);
        Assert.Equal("cat /proc/" + self[0] + "/stat /proc/self/cmdline ", self[2]);
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
