namespace Spindle.Sdk.Trap;

// The second way a system call waits (see IUserStrand.Suspend): the handler returns at once, the strand
// sleeps with pc already past its ecall, and when it is woken the kernel runs a continuation on the CPU's
// thread, in kernel context, before the strand's next user instruction; what the continuation returns is
// the call's result (a0). The call is never entered again, unless the continuation hands it back to the
// restart model (Restart) so that signal delivery can choose between -EINTR and SA_RESTART.

/// <summary>Why a suspended system call's continuation runs.</summary>
public enum WakeReason : byte
{
    /// <summary>Its wait queue was woken (the device completed, data arrived). Its condition may still be false: it may suspend again.</summary>
    Woken,
    /// <summary>Its deadline passed.</summary>
    TimedOut,
    /// <summary>
    /// A signal (or an exit request) is pending for the strand: the wait is cancelled. The continuation returns a
    /// result (the call completed after all, or failed), or <see cref="SyscallContinuation.Restart"/>; it may not suspend again.
    /// </summary>
    Interrupted,
}

/// <summary>
/// The body of a continuation: finishes the suspended call of <paramref name="strand"/> (its registers are as at the
/// ecall, pc past it) and returns its result, or suspends it again (<see cref="IUserStrand.Suspend"/>) and returns
/// anything, or returns <see cref="SyscallContinuation.Restart"/>.
/// </summary>
public delegate long SyscallResume(IUserStrand strand, WakeReason reason);

/// <summary>
/// A continuation a system-call handler leaves behind when it suspends its strand: made once (per kind of call, at
/// initialization) by <see cref="Strand.IStrandService.CreateContinuation"/>, which binds it to the calling domain, so
/// that the kernel runs its body under that domain's meter and charges its faults there (the call then fails with
/// -EIO). It holds no per-call state: that lives with the thread the body finds from its strand. A continuation of a
/// destroyed domain no longer runs: the call fails with -EIO.
/// </summary>
public abstract class SyscallContinuation
{
    /// <summary>
    /// What a body returns to turn the call back into a restarting one: pc at the ecall, the arguments as they were,
    /// <see cref="IUserStrand.RestartingSyscall"/> true. Signal delivery then fails it with -EINTR or lets it run
    /// again (SA_RESTART), as for a call that blocked with <see cref="IUserStrand.Block"/>.
    /// </summary>
    public const long Restart = long.MinValue;

    // Only the kernel makes continuations (bound to a domain).
    private protected SyscallContinuation(string name) => Name = name;

    /// <summary>The name given at creation, for diagnostics.</summary>
    public string Name { get; }

    // The kernel: runs the body for `strand`, contained; a fault or a revoked continuation answers -EIO.
    internal abstract long Resume(IUserStrand strand, WakeReason reason);

    /// <inheritdoc/>
    public override string ToString() => $"continuation {Name}";
}
