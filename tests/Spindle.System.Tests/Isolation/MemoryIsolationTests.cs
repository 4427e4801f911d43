namespace Spindle.System.Tests.Isolation;

/// <summary>
/// Address-space isolation under `spindle run` (programs/iso_memory.c): forked processes never see each other's
/// pages, a page mapped in the parent after fork is absent in the child, kernel addresses and the signal
/// trampoline's store fault with SIGSEGV at the exact address, system calls refuse kernel pointers (EFAULT),
/// and cross-process memory access (process_vm_readv/writev, ptrace) is refused. The expected text is fixed
/// here: the trampoline page is Spindle's own, so no other system can be the oracle.
/// </summary>
public sealed class MemoryIsolationTests
{
    private const string Expected =
        "parent: inherited page unchanged by child\n" +
        "parent: fresh page zero\n" +
        "child: inherited page own data\n" +
        "child: fresh page own data\n" +
        "parent: inherited page own data\n" +
        "parent: fresh page own data\n" +
        "process_vm_readv: refused\n" +
        "process_vm_writev: refused\n" +
        "ptrace attach: refused\n" +
        "ptrace peekdata: refused\n" +
        "child: SIGSEGV reading the parent-only page, addr ok\n" +
        "child exit: 42\n" +
        "user limit load: signal SIGSEGV, addr exact\n" +
        "user limit store: signal SIGSEGV, addr exact\n" +
        "kernel load: signal SIGSEGV, addr exact\n" +
        "kernel store: signal SIGSEGV, addr exact\n" +
        "top load: signal SIGSEGV, addr exact\n" +
        "non-canonical load: signal SIGSEGV, addr exact\n" +
        "trampoline load: readable\n" +
        "trampoline store: signal SIGSEGV, addr exact\n" +
        "write from kernel address: -1 Bad address\n" +
        "write from trampoline: 4\n" +
        "pipe holds: 4\n" +
        "read into kernel address: -1 Bad address\n" +
        "read into trampoline: -1 Bad address\n" +
        "iso_memory done\n";

    [Fact]
    public void ProcessesAndTheKernelAreIsolated()
    {
        var r = IsolationProgram.Run(IsolationProgram.Compile("iso_memory"), []);
        Assert.Equal(Expected, r.StdoutText);
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        IsolationProgram.AssertNoKernelFailure(r);
    }
}
