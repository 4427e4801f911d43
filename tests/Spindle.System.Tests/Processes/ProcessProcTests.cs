using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Processes;

/// <summary>
/// Processes, signals, threads, pipes between processes and sleeping under `spindle run`: C programs cross-compiled at test time. Where
/// qemu-riscv64 is a valid oracle (fork, wait, signals, pthreads and sleeping: deterministic output) the
/// output and exit status must equal qemu's; execve is checked against expected text (qemu-user cannot
/// execve a RISC-V program on a host without binfmt).
/// </summary>
public sealed class ProcessProcTests
{
    private static string Program(string name, params string[] flags) =>
        CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Processes", "procprograms", name + ".c"), flags);

    // Runs the program under qemu and under Spindle twice (the default engine, then the compiler forced); every
    // run must succeed with the same output and status. Returns the last Spindle run.
    private static RunResult SameAsQemu(string program, int expectedExit)
    {
        var q = QemuRunner.Instance.Run(program, [], timeout: TimeSpan.FromSeconds(60));
        Assert.False(q.TimedOut, q.Describe("qemu"));
        Assert.True(q.ExitCode == expectedExit, q.Describe("qemu"));
        RunResult s = null!;
        foreach (SpindleRunner runner in SpindleRunner.BothPasses)
        {
            s = runner.Run(program, [], timeout: TimeSpan.FromSeconds(60));
            Assert.False(s.TimedOut, s.Describe("spindle"));
            Assert.True(s.ExitCode == q.ExitCode, s.Describe("spindle"));
            Assert.Equal(q.StdoutText, s.StdoutText);
        }
        return s;
    }

    [Fact]
    public void ForkWaitExitAndKillMatchQemu()
    {
        var r = SameAsQemu(Program("proc_fork"), 3);
        Assert.Contains("parent: counter=10 waited-ok=1 exited=1 status=7", r.StdoutText);
        Assert.Contains("term: 1 15", r.StdoutText);
    }

    [Fact]
    public void SignalDeliveryMatchesQemu()
    {
        var r = SameAsQemu(Program("proc_signals"), 0);
        Assert.Contains("segv: sig=11 addr-ok=1 code=2 value=42", r.StdoutText);
        Assert.Contains("restart=0: first EINTR", r.StdoutText);
        Assert.Contains("restart=1: first restarted", r.StdoutText);
    }

    [Fact]
    public void PthreadsMatchQemu()
    {
        var r = SameAsQemu(Program("proc_threads", "-pthread"), 6);
        Assert.Contains("counter=8000 expected=8000 sum=64 main tls=-1 distinct tids=1", r.StdoutText);
    }

    [Fact]
    public void SleepingWaitsOnTimersAndMatchesQemu()
    {
        var r = SameAsQemu(Program("proc_sleep"), 0);
        Assert.Contains("child slept: 1", r.StdoutText);
    }

    [Fact]
    public void PipesBetweenProcessesBlockWakeAndRaiseSigpipeLikeQemu()
    {
        var r = SameAsQemu(Program("proc_pipes"), 0);
        Assert.Contains("writer without reader: signaled=1 sig=13", r.StdoutText);
        Assert.Contains("b got 21: through the pipeline", r.StdoutText);
    }

    [Fact]
    public void ExecveReplacesTheImageAndFailuresKeepIt()
    {
        var r = SpindleRunner.Instance.Run(Program("proc_exec"), []);
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal(
            "exec'd: argc=3 arg=forked env=yes\nfork+exec status=12\n" +
            "exec'd: argc=3 arg=vforked env=yes\nvfork+exec status=13\n" +
            "missing: -1 No such file or directory\nnot elf: -1 Exec format error\n",
            r.StdoutText);
    }
}
