using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Trap;

/// <summary>The argument of the system-call event: the call number (guardable: <c>t =&gt; t.Number == 172</c>) and the calling strand.</summary>
/// <param name="Number">The system-call number (a7).</param>
/// <param name="Strand">The strand that executed the ecall.</param>
public readonly record struct SyscallTrap(long Number, IUserStrand Strand);

/// <summary>Why a user strand trapped other than for a system call.</summary>
public enum FaultKind : byte
{
    /// <summary>A load, store or fetch at an address not mapped with the needed rights.</summary>
    PageFault,
    /// <summary>An undecodable or unsupported instruction.</summary>
    IllegalInstruction,
    /// <summary>ebreak.</summary>
    Breakpoint,
    /// <summary>A misaligned atomic or fetch.</summary>
    Misaligned,
}

/// <summary>The argument of the fault event.</summary>
/// <param name="Kind">What went wrong (guardable).</param>
/// <param name="Strand">The strand; its pc is the faulting instruction.</param>
/// <param name="Address">The faulting data or fetch address (0 for illegal instructions).</param>
/// <param name="IsWrite">True for a store or atomic.</param>
/// <param name="IsExecute">True for an instruction fetch.</param>
/// <param name="Mapped">True if the page is mapped (a protection fault) rather than absent.</param>
public readonly record struct UserFault(FaultKind Kind, IUserStrand Strand, ulong Address, bool IsWrite, bool IsExecute, bool Mapped);

/// <summary>
/// The trap events the kernel declares for user strands. The personality installs its handlers on them.
/// </summary>
public interface ITrapEvents
{
    /// <summary>Raised for every ecall, with pc already past it. The handler leaves the result in the strand. Unhandled: -ENOSYS.</summary>
    Event<SyscallTrap, bool> Syscall { get; }

    /// <summary>Raised for a fault; a handler returns true if it dealt with it (resolved the page, or arranged a signal).
    /// Unhandled: the strand is killed with the fault's default signal.</summary>
    Event<UserFault, bool> Fault { get; }

    /// <summary>Raised before a strand whose SignalPending is true returns to user code (after a call, a fault, or a preemption).
    /// The handler delivers signals (or ends the strand) and clears SignalPending when nothing is left.</summary>
    Event<IUserStrand, bool> ReturnToUser { get; }

    /// <summary>Raised once when a strand has ended, for whatever reason (exit, kill, fault, kernel error); its
    /// HasExited is true. The personality tears down its thread state here.</summary>
    Event<IUserStrand, bool> Exited { get; }
}
