using Spindle.System.Tests.Differential;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Boot;

/// <summary>
/// The boot userland: build.sh's layout, and /bin/sh running a script that uses words and quotes, $?,
/// pipelines, redirections, cd, a missing program and exit. The script runs natively (the userland built for
/// the host, the oracle) and under <c>spindle run --root BOOTROOT BOOTROOT/bin/sh</c>, which needs fork, exec,
/// pipes and files from the Linux personality.
/// </summary>
public class ShellTests
{
    private static readonly string[] Programs = ["cat", "echo", "extload", "false", "hello-dynamic", "kill", "ls", "mkdir", "ps", "rm", "sh", "sleep", "true"];

    // The script; its first line enters root so that every later path is relative to it.
    private static byte[] Script(string root) => global::System.Text.Encoding.UTF8.GetBytes($"""
        cd {root}
        echo hello   world
        echo a "b  c" 'd $?' "e $?" $?
        false
        echo false gives $?
        true | false | true
        echo a pipeline gives its last status $?
        no-such-program
        echo not found gives $?
        echo one > tmp/sh-test
        echo two >> tmp/sh-test
        cat < tmp/sh-test | cat | cat
        echo three > tmp/sh-test
        cat tmp/sh-test
        ls bin | cat
        mkdir -p tmp/d/e
        cd tmp/d
        ls
        cd ../..
        rm -r tmp/d tmp/sh-test
        ls tmp
        echo done # a comment
        exit 7
        echo not reached

        """);

    [Fact]
    public void BuildScriptLaysOutTheBootRoot()
    {
        string root = BootRoot.Riscv;
        Assert.True(File.Exists(Path.Combine(root, "sbin", "init")), "sbin/init missing");
        Assert.True(Directory.Exists(Path.Combine(root, "tmp")), "tmp/ missing");
        Assert.True(File.Exists(Path.Combine(root, "etc", "motd")), "etc/motd missing");
        Assert.Equal(Programs, Directory.GetFiles(Path.Combine(root, "bin")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        byte[] head = File.ReadAllBytes(Path.Combine(root, "bin", "sh"))[..20];
        Assert.Equal(0xf3, head[18]); // e_machine EM_RISCV: cross-compiled, not a host binary
    }

    [Fact]
    public void ShellRunsItsScriptNatively()
    {
        string root = BootRoot.Host;
        var r = ProcessRunner.Run(Path.Combine(root, "bin", "sh"), [], Script(root),
            [new("PATH", Path.Combine(root, "bin"))], TimeSpan.FromSeconds(30));
        Assert.Equal(7, r.ExitCode);
        string[] lines = ["hello world", "a b  c d $? e 0 0", "false gives 1", "a pipeline gives its last status 0",
            "not found gives 127", "one", "two", "three", .. Programs, "e", "done", ""];
        Assert.Equal(string.Join('\n', lines), r.StdoutText);
        Assert.Contains("sh: no-such-program: not found", r.Stderr);
    }

    [Fact]
    public void ShellUnderSpindleMatchesNative()
    {
        string host = BootRoot.Host, riscv = BootRoot.Riscv;
        var native = ProcessRunner.Run(Path.Combine(host, "bin", "sh"), [], Script(host),
            [new("PATH", Path.Combine(host, "bin"))], TimeSpan.FromSeconds(30));
        var spindle = SpindleRunner.RunCli(["run", "--root", riscv, Path.Combine(riscv, "bin", "sh")], Script("/"),
            TimeSpan.FromSeconds(120));
        Assert.False(spindle.TimedOut, spindle.Describe("spindle"));
        string? diff = OutputDiff.FirstDifference(native.Stdout, spindle.Stdout);
        Assert.True(diff == null, $"{diff}\n{spindle.Describe("spindle")}");
        Assert.Equal(native.ExitCode, spindle.ExitCode);
    }
}
