namespace Spindle.Sdk.Strand;

/// <summary>What runs a strand: a saved user context run one slice at a time, or a kernel continuation.</summary>
public enum StrandKind : byte
{
    /// <summary>Kernel work: an async body resumed by the scheduler each time what it awaited completes.</summary>
    Kernel,
    /// <summary>A user context (registers and a translation context) run by a <see cref="UserSlice"/> callback.</summary>
    User,
}

/// <summary>Where a strand is in its life.</summary>
public enum StrandState : byte
{
    /// <summary>On the policy's ready queue.</summary>
    Ready,
    /// <summary>Running on the CPU (the scheduler's <c>Current</c>).</summary>
    Running,
    /// <summary>Waiting on a wait queue, a timer, or both.</summary>
    Blocked,
    /// <summary>Its body finished.</summary>
    Exited,
    /// <summary>Its body threw; see <see cref="StrandHandle.Fault"/>.</summary>
    Faulted,
}

/// <summary>How one slice of a strand ended.</summary>
public enum SliceOutcome : byte
{
    /// <summary>The instruction budget ran out (the timer fired).</summary>
    Preempted,
    /// <summary>The strand gave up the CPU but stays ready.</summary>
    Yielded,
    /// <summary>The strand waits: it called a wait, sleep or join operation during the slice.</summary>
    Blocked,
    /// <summary>The strand is finished.</summary>
    Exited,
}

/// <summary>Why a strand is handed to <see cref="ISchedulerPolicy.Enqueue"/>.</summary>
public enum EnqueueReason : byte
{
    /// <summary>Just created (or moved from the previous policy).</summary>
    New,
    /// <summary>Woken from a wait or a timer.</summary>
    Woken,
    /// <summary>Gave up the CPU.</summary>
    Yielded,
    /// <summary>Used its whole slice.</summary>
    Preempted,
}

/// <summary>What a user slice reports: how it ended and how many instructions it retired.</summary>
/// <param name="Outcome">Why the slice ended.</param>
/// <param name="Used">Instructions retired in the slice (0..budget).</param>
public readonly record struct SliceResult(SliceOutcome Outcome, long Used);

/// <summary>
/// Runs a user strand for one slice of at most <paramref name="budget"/> instructions: restores its saved
/// registers and translation context onto the hart, runs, saves them back, and reports how the slice ended.
/// A slice that reports <see cref="SliceOutcome.Blocked"/> must have called a wait operation on itself.
/// </summary>
public delegate SliceResult UserSlice(StrandHandle self, long budget);

/// <summary>
/// The body of a kernel strand: an async method that awaits only the scheduler's operations
/// (<see cref="IStrandService.Yield"/>, <see cref="IStrandService.Sleep"/>, <see cref="IWaitQueue.Wait"/>,
/// <see cref="IStrandService.Join"/>). Awaiting anything else (a host Task) is a fault.
/// </summary>
public delegate Task KernelBody(StrandHandle self);

/// <summary>The argument of the strand events: the strand, with its id and priority as guardable fields.</summary>
/// <param name="Strand">The strand changing state.</param>
/// <param name="Id">Its id (index a guard on it: <c>t =&gt; t.Id == 7</c>).</param>
/// <param name="Priority">Its priority.</param>
public readonly record struct StrandTransition(StrandHandle Strand, int Id, int Priority);
