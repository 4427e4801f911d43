using Spindle.Kernel.Boot;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Trap;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Trap;

/// <summary>
/// The null system call through the whole real path: a guest ecall loop, the slice loop, the Trap.Syscall
/// event and the Linux personality loaded as a metered extension. It answers correctly and allocates nothing.
/// </summary>
public sealed class NullSyscallPathTests(TestHome home) : IClassFixture<TestHome>
{
    private const ulong Code = 0x10000;
    private const int ParentPid = 7, Calls = 10_000;

    // li a7, 173 (getppid); loop: ecall; addi s1, s1, 1; j loop. A slice of 2n instructions from the ecall makes n calls.
    private static readonly uint[] Loop = [0x0AD00893, 0x00000073, 0x00148493, 0xFF9FF06F];

    [Fact]
    public void GetppidLoopAnswersTheParentAndAllocatesNothing()
    {
        byte[] code = new byte[Loop.Length * 4];
        Buffer.BlockCopy(Loop, 0, code, 0, code.Length);
        using var system = SystemBuilder.Build(new SystemDescription   // as the syscall benchmark builds it
        {
            Personality = "Linux",
            SpindleHome = home.Path,
            ExtensionCalls = false,
            Program = new FirstProgram(new ProgramImage.Code(code, Code, 0x100000, 0x200000, 0x400000), "/loop", ["/loop"], [])
            {
                Pid = ParentPid + 1, ParentPid = ParentPid,
            },
        });
        UserStrand strand = system.FirstStrand;

        strand.RunSlice(strand.Handle, 1 + 2 * 1000);      // li, then a warm-up of 1000 calls
        ulong calls = strand.GetRegister(9);
        int windows = 0;
        long allocated = SteadyState.Allocated(() =>
        {
            windows++;
            Assert.Equal(SliceOutcome.Preempted, strand.RunSlice(strand.Handle, 2 * Calls).Outcome);
        });

        Assert.Equal((ulong)(windows * Calls), strand.GetRegister(9) - calls);
        Assert.Equal((ulong)ParentPid, strand.Arg0);
        Assert.Null(strand.KernelError);
        // Less than a byte per call: any per-call allocation is at least an object header (24 bytes) per call,
        // while one-time allocations of the runtime (tiering up the path's code) stay a few hundred bytes.
        Assert.True(allocated < Calls, $"{allocated} bytes allocated over {Calls} system calls");
    }
}
