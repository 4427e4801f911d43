using Spindle.Bench.Suites;
using Spindle.Kernel.Boot;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.CThreads;

/// <summary>
/// The integrated C-Threads package (user/lib/cthreads.c over extensions/Examples/CThreads.cs) run on Spindle by
/// user/bench/cthreads.c: its rows, its own checks (which make it exit 1 with the failed check), and the end of a
/// process whose package threads are still running or blocked. A missing cross compiler fails these with its reason.
/// </summary>
public sealed class CThreadsTests
{
    private static readonly BenchPrograms Programs = new(Path.Combine(Path.GetTempPath(), "spindle-bench-tests"));

    [Fact]
    public void ProgramReportsBothRowsAndPassesItsChecks()
    {
        // After the timed runs cthreads.c checks: 4 threads adding 20000 each to a mutex-protected counter (with a
        // read-modify-write window preemption can split) reach 80000; the ping-pong partners saw every round; join
        // results; ESRCH for a joined thread and for an id never forked, EINVAL/EFAULT for a bad wait word, EINVAL
        // for an unaligned stack, EDEADLK for joining oneself, EPERM for cthread_exit from the main
        // thread, a finished thread's result, -ENOSYS for a Linux call from a package thread, ECANCELED for a
        // thread killed by a fault (the process goes on).
        var output = Programs.RunSpindleLoading("cthreads.c", "CThreads.cs", "30", "1", "-user-integrated");
        Assert.True(output.Failure == null, $"cthreads on Spindle: {output.Failure}");
        Assert.True(output.Micros("fork-join-user-integrated") is > 0, "no fork-join-user-integrated row");
        Assert.True(output.Micros("ping-pong-user-integrated") is > 0, "no ping-pong-user-integrated row");
    }

    [Fact]
    public void WithoutTheExtensionCallsTheProgramFailsWithItsReason()
    {
        var output = Programs.RunSpindle("cthreads.c", "CThreads.cs", "30", "1");
        Assert.NotNull(output.Failure);
        Assert.Contains("CThreads.cs: Function not implemented", output.Failure);
    }

    [Theory]
    [InlineData("exit-alive")]
    [InlineData("exit-raw")]
    public void ExitingWithPackageThreadsAliveEndsThemAll(string mode)
    {
        // cthreads exit-alive returns from main with one package thread spinning, one blocked on a condition and one
        // blocked joining the spinner; exit-raw ends the main thread with a raw exit instead of exit_group. Either
        // way the personality ends the process with its last Linux thread, and the extension hears it
        // (Lifecycle.ProcessEnded) and ends its package threads: the kernel is left with no live strand. The CPU runs
        // a bounded number of slices, so a surviving spinner fails the test instead of hanging it.
        string exe = Programs.CompileForSpindle("cthreads.c");
        string extension = Path.Combine(Repo.Root, "extensions", "Examples", "CThreads.cs");
        var console = new CapturedConsole();
        var log = new StringWriter();
        using var system = SystemBuilder.Build(GuestRunner.Describe(exe, [extension, mode], console, extensionCalls: true) with { ExtensionLog = log });
        var (kernel, process) = (system.Kernel, system.FirstProcess);

        for (int slices = 0; slices < 5_000 && (!process.HasExited || kernel.Users.LiveCount > 0); slices++)
            if (!kernel.Scheduler.Step()) break;

        Assert.True(process.HasExited, $"the program did not exit; stderr: {console.Text(2)} {log}");
        Assert.True(process.ExitStatus == 0, $"exit {process.ExitStatus}; stderr: {console.Text(2)} {log}");
        Assert.Contains("exit-alive ok", console.Text(1));
        Assert.Equal(0, kernel.Users.LiveCount);
    }
}
