using Spindle.Machine.Cpu;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Trap;

/// <summary>How a run of the trap loop ended: the strand's state, and the trap or kernel error that killed it.</summary>
public readonly record struct TrapOutcome(StrandState State, int Status, Machine.Cpu.Trap? Fault, Exception? KernelError)
{
    /// <summary>The shell's view of the status: the exit status, or 128 + the signal.</summary>
    public int ExitCode => State == StrandState.Killed ? 128 + Status : Status;
}

/// <summary>
/// The kernel's trap loop: runs a user strand on its hart in slices of <see cref="Slice"/>
/// instructions (the timer), hands each ecall to the system-call handler, and turns faults into
/// the signal that kills the process (no user signal delivery yet): page fault SIGSEGV,
/// illegal instruction SIGILL, breakpoint SIGTRAP, misaligned atomic SIGBUS.
/// </summary>
public static class TrapLoop
{
    public const int SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGSEGV = 11;

    /// <summary>Instructions per timer slice.</summary>
    public const long Slice = 4_000_000;

    /// <summary>
    /// Runs <paramref name="strand"/> on <paramref name="hart"/> until its process ends.
    /// <paramref name="tick"/> runs at every timer slice. An exception from the hart or the
    /// handler is a kernel bug: it kills the process (SIGABRT) and is returned, never thrown.
    /// </summary>
    public static TrapOutcome Run(Hart hart, UserStrand strand, SyscallHandler syscall, Action? tick = null)
    {
        Machine.Cpu.Trap trap = default;
        try
        {
            while (strand.State == StrandState.Running)
            {
                trap = hart.Run(Slice);
                if (trap.Cause == TrapCause.Ecall)
                {
                    hart.Registers.Pc = trap.Pc + 4;
                    syscall(strand);
                }
                else if (trap.Cause == TrapCause.Budget) tick?.Invoke();
                else return Fault(strand, trap);
            }
        }
        catch (Exception e)
        {
            strand.Kill(SIGABRT);
            return new TrapOutcome(StrandState.Killed, SIGABRT, trap, e);
        }
        return new TrapOutcome(strand.State, strand.Status, null, null);
    }

    // A trap the process cannot survive yet: kill it with the matching signal.
    private static TrapOutcome Fault(UserStrand strand, Machine.Cpu.Trap trap)
    {
        int signal = trap.Cause switch
        {
            TrapCause.PageFault => SIGSEGV,
            TrapCause.IllegalInstruction => SIGILL,
            TrapCause.Breakpoint => SIGTRAP,
            _ => SIGBUS,
        };
        strand.Kill(signal);
        return new TrapOutcome(StrandState.Killed, signal, trap, null);
    }
}
