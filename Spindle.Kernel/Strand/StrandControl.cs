using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Strand;

/// <summary>
/// The kernel's view of a strand (its control block): the handle extensions hold plus the links the
/// scheduler, the round-robin policy, wait queues and timers thread through it, so that no queue
/// operation allocates. Touched only on the CPU's thread.
/// </summary>
internal sealed class StrandControl : StrandHandle
{
    public StrandControl(Scheduler scheduler, IHandlerOwner owner, int id, string name, int priority,
        KernelBody? body, UserSlice? slice)
        : base(id, name, priority, body != null ? StrandKind.Kernel : StrandKind.User)
    {
        Scheduler = scheduler;
        Owner = owner;
        Body = body;
        Slice = slice;
    }

    public readonly Scheduler Scheduler;
    public readonly IHandlerOwner Owner;            // charged with the strand's faults
    public KernelBody? Body;                        // kernel strand: started on its first slice
    public UserSlice? Slice;                        // user strand: runs each slice
    public Task? Task;                              // kernel strand: the running body, once started

    // Round-robin run queue links (RoundRobinPolicy).
    public StrandControl? RunNext, RunPrev;
    public bool RunQueued;

    // Wait queue links, and the queue the strand waits on.
    public WaitQueue? WaitingOn;
    public StrandControl? WaitNext, WaitPrev;

    // Timer: entries carry the generation they were armed with; a bump makes older entries stale.
    public int TimerGeneration;
    public bool TimerArmed;

    // Set when the strand called a wait operation during its current slice.
    public bool Parked;

    // Strands joining this one (created on the first join).
    public WaitQueue? Joiners;

    // Index in the scheduler's live list.
    public int LiveIndex;
}
