namespace Spindle.Machine.Cpu;

/// <summary>Why <see cref="Hart.Run"/> stopped.</summary>
public enum TrapCause : byte
{
    /// <summary>The instruction budget ran out (the timer tick). Pc is the next instruction.</summary>
    Budget,
    /// <summary>ecall. Pc is the ecall itself; the kernel advances it by 4.</summary>
    Ecall,
    /// <summary>ebreak / c.ebreak. Pc is the breakpoint instruction.</summary>
    Breakpoint,
    /// <summary>Illegal or unimplemented instruction; <see cref="Trap.Instruction"/> holds its bits.</summary>
    IllegalInstruction,
    /// <summary>Page fault: <see cref="Trap.Address"/> and <see cref="Trap.Access"/> say where and how. Precise: nothing was retired.</summary>
    PageFault,
    /// <summary>
    /// Misaligned atomic (AMO, LR/SC) access, which must trap (<see cref="Trap.Access"/> Read for LR, Write for
    /// SC and AMOs), or an odd pc on entry to <see cref="Hart.Run"/> (Access Execute, Address the pc). Ordinary
    /// loads and stores of any alignment do not trap: they are performed, across a page end too.
    /// </summary>
    MisalignedAccess,
}

/// <summary>How a faulting access touched memory.</summary>
public enum AccessKind : byte { Read, Write, Execute }

/// <summary>A precise trap: registers hold the state before the trapping instruction
/// (except for <see cref="TrapCause.Budget"/>, where Pc is the next instruction to run).</summary>
public readonly record struct Trap(TrapCause Cause, ulong Pc, ulong Address = 0, AccessKind Access = AccessKind.Read, uint Instruction = 0)
{
    public override string ToString() => Cause switch
    {
        TrapCause.PageFault => $"page fault ({Access}) at 0x{Address:x}, pc 0x{Pc:x}",
        TrapCause.IllegalInstruction => $"illegal instruction 0x{Instruction:x8} at pc 0x{Pc:x}",
        TrapCause.MisalignedAccess => $"misaligned access at 0x{Address:x}, pc 0x{Pc:x}",
        _ => $"{Cause} at pc 0x{Pc:x}",
    };
}
