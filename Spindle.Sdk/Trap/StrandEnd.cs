namespace Spindle.Sdk.Trap;

/// <summary>Why a user strand ended, in the kernel's terms.</summary>
public enum StrandEndKind : byte
{
    /// <summary>It has not ended.</summary>
    Running,

    /// <summary>Its personality ended it with <see cref="IUserStrand.Exit"/>; <see cref="StrandEnd.Code"/> is the status it gave.</summary>
    Exited,

    /// <summary>Its personality (or an extension) ended it with <see cref="IUserStrand.Kill"/>; <see cref="StrandEnd.Code"/> is the code it gave.</summary>
    Killed,

    /// <summary>A fault nobody handled ended it; <see cref="StrandEnd.Fault"/> says which.</summary>
    Faulted,

    /// <summary>A kernel error (an exception from the hart or a handler) aborted it.</summary>
    Aborted,
}

/// <summary>
/// How a user strand ended. The kernel gives no meaning to <see cref="Code"/>: an exit status or a kill code is
/// whatever the personality passed (Linux: the exit status, or the signal), and a fault or an abort carries only
/// its kernel-level reason. The personality translates an end into its own terms (Linux: a wait status, the
/// shell's 128+N, a signal name) and answers the command line through <see cref="Personality.IPersonality"/>.
/// </summary>
/// <param name="Kind">Why it ended.</param>
/// <param name="Code">The status or code given to Exit or Kill; 0 for a fault or an abort.</param>
/// <param name="Fault">The unhandled fault's kind; meaningful only when <paramref name="Kind"/> is Faulted.</param>
public readonly record struct StrandEnd(StrandEndKind Kind, int Code = 0, FaultKind Fault = default);
