using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Strand;

/// <summary>
/// The Strand service as a domain sees it: every strand it creates and policy it installs is charged to
/// that domain. All operations run on the CPU's thread (from a strand, or before the scheduler runs).
/// Bad input throws <see cref="StrandException"/>.
/// </summary>
public interface IStrandService
{
    /// <summary>The scheduler clock, in nanoseconds.</summary>
    long Now { get; }

    /// <summary>The running strand, or null between slices.</summary>
    StrandHandle? Current { get; }

    /// <summary>The global policy's name.</summary>
    string PolicyName { get; }

    /// <summary>Raised when a strand blocks (by the strand itself, before it stops running).</summary>
    Event<StrandTransition, bool> Block { get; }

    /// <summary>Raised when a blocked strand is woken (by the waker or a timer).</summary>
    Event<StrandTransition, bool> Unblock { get; }

    /// <summary>Raised when a strand stops running: its context is saved.</summary>
    Event<StrandTransition, bool> Checkpoint { get; }

    /// <summary>Raised when a strand starts running: its context is restored.</summary>
    Event<StrandTransition, bool> Resume { get; }

    /// <summary>Creates a ready kernel strand running <paramref name="body"/>.</summary>
    StrandHandle SpawnKernel(string name, int priority, KernelBody body);

    /// <summary>Creates a ready user strand whose slices <paramref name="slice"/> runs.</summary>
    StrandHandle SpawnUser(string name, int priority, UserSlice slice);

    /// <summary>
    /// Creates a strand-local slot only this domain (and whoever it hands the slot to) can read or write; revoked when
    /// the domain is destroyed. A domain may hold a few (<see cref="StrandException"/> past the limit).
    /// </summary>
    StrandSlot<T> CreateSlot<T>(string name) where T : class;

    /// <summary>Creates an empty wait queue.</summary>
    IWaitQueue CreateWaitQueue(string name);

    /// <summary>
    /// Binds <paramref name="body"/> to this domain as a continuation a system-call handler can suspend a strand with
    /// (<see cref="Trap.IUserStrand.Suspend"/>): the kernel runs it under this domain's meter, and not at all once the
    /// domain is destroyed. Make one per kind of call, at initialization; resuming allocates nothing.
    /// </summary>
    Trap.SyscallContinuation CreateContinuation(string name, Trap.SyscallResume body);

    /// <summary>Gives up the CPU: <paramref name="self"/> (the running kernel strand) goes to the back of its ready queue.</summary>
    StrandAwaitable Yield(StrandHandle self);

    /// <summary>Blocks <paramref name="self"/> (the running strand) for <paramref name="nanoseconds"/> (at least 0) of the scheduler clock.</summary>
    StrandAwaitable Sleep(StrandHandle self, long nanoseconds);

    /// <summary>Blocks <paramref name="self"/> (the running strand) until <paramref name="other"/> is done; completes at once if it is.</summary>
    StrandAwaitable Join(StrandHandle self, StrandHandle other);

    /// <summary>
    /// Makes <paramref name="policy"/> the global policy, if the kernel's authorizer lets this domain
    /// (only privileged domains may); throws <see cref="PolicyRefusedException"/> otherwise.
    /// Uninstalling the returned binding restores round-robin.
    /// </summary>
    IPolicyBinding InstallPolicy(ISchedulerPolicy policy);
}
