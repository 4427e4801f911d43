using Spindle.Bench.Suites;

namespace Spindle.System.Tests.Bench;

/// <summary>
/// The bench rows that need processes, pipes, threads and signals run on Spindle: each program reports its
/// rows (a missing cross compiler makes these fail with its reason, never pass).
/// </summary>
public sealed class GuestRowsTests
{
    private static readonly BenchPrograms Programs = new(Path.Combine(Path.GetTempPath(), "spindle-bench-tests"));

    [Theory]
    [InlineData("pipe_rtt.c", new[] { "20", "1" }, new[] { "cross-address-space-call" })]
    [InlineData("pthreads.c", new[] { "10", "1", "-user-layered" }, new[] { "fork-join-user-layered", "ping-pong-user-layered" })]
    [InlineData("appel_signal.c", new[] { "100", "1", "-signal" },
        new[] { "vm-fault-signal", "vm-trap-signal", "vm-prot1-signal", "vm-prot100-signal", "vm-unprot100-signal", "vm-appel1-signal", "vm-appel2-signal" })]
    public void ProgramReportsEveryRowOnSpindle(string program, string[] args, string[] rows)
    {
        var output = Programs.RunSpindle(program, args);
        Assert.True(output.Failure == null, $"{program} on Spindle: {output.Failure}");
        foreach (string row in rows)
            Assert.True(output.Micros(row) is > 0, $"{program} reported no positive {row}");
    }

    [Fact]
    public void VmRowsThroughALoadedExtensionRunAndReallyProtect()
    {
        // appel_spin.c loads PageProtect.cs with syscall 1000 and times its calls and its in-kernel fault handler;
        // after each fault pass it checks the handler resolved every fault, and at the end that bad input is
        // refused, the dirty bit follows writes, and with the handler off a protected page faults (else it exits
        // with the error).
        var output = Programs.RunSpindleLoading("appel_spin.c", "PageProtect.cs", "100", "1");
        Assert.True(output.Failure == null, $"appel_spin on Spindle: {output.Failure}");
        foreach (string row in (string[])["vm-dirty", "vm-fault", "vm-trap", "vm-prot1", "vm-prot100", "vm-unprot100", "vm-appel1", "vm-appel2"])
            Assert.True(output.Micros(row) is > 0, $"appel_spin reported no positive {row}");
    }

    [Fact]
    public void WithoutTheExtensionCallsTheProgramFailsWithItsReason()
    {
        // The same program on a kernel without the extension calls: loading its extension (call 1000) answers
        // ENOSYS, and the program says so.
        var output = Programs.RunSpindle("appel_spin.c", "PageProtect.cs", "100", "1");
        Assert.NotNull(output.Failure);
        Assert.Contains("PageProtect.cs: Function not implemented", output.Failure);
        Assert.Null(output.Micros("vm-prot1"));
    }
}
