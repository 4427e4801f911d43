namespace Spindle.Sdk.Strand;

/// <summary>
/// A strand: the unit of scheduling. Holding the reference is the capability to name the strand;
/// it carries no kernel state but its name, priority and the scheduler's bookkeeping.
/// Only the kernel creates strands (see <see cref="IStrandService"/>).
/// </summary>
public abstract class StrandHandle
{
    // The continuation a kernel strand's awaiter left: what the scheduler runs next time it resumes the strand.
    internal Action? Continuation;
    // True when the strand's last timed wait ended by timeout rather than by a wake-up.
    internal bool TimedOut;
    private object? _policyOwner, _policyState;

    internal StrandHandle(int id, string name, int priority, StrandKind kind)
    {
        Id = id;
        Name = name;
        Priority = priority;
        Kind = kind;
    }

    /// <summary>Lowest priority.</summary>
    public const int MinPriority = 0;

    /// <summary>Highest priority.</summary>
    public const int MaxPriority = 31;

    /// <summary>The strand's id, unique within its scheduler.</summary>
    public int Id { get; }

    /// <summary>The strand's name, for diagnostics.</summary>
    public string Name { get; }

    /// <summary>Its priority, <see cref="MinPriority"/>..<see cref="MaxPriority"/>; higher runs first under round-robin.</summary>
    public int Priority { get; }

    /// <summary>User or kernel strand.</summary>
    public StrandKind Kind { get; }

    /// <summary>Where the strand is in its life.</summary>
    public StrandState State { get; internal set; }

    /// <summary>The exception its body threw, when <see cref="State"/> is <see cref="StrandState.Faulted"/>.</summary>
    public Exception? Fault { get; internal set; }

    /// <summary>Slices the strand has run.</summary>
    public long Slices { get; internal set; }

    /// <summary>CPU charged to the strand: instructions for a user strand, one full slice per run for a kernel strand.</summary>
    public long Charged { get; internal set; }

    /// <summary>True once the strand has exited or faulted.</summary>
    public bool IsDone => State is StrandState.Exited or StrandState.Faulted;

    /// <summary>The bookkeeping <paramref name="policy"/> attached to this strand, or null if it attached none (or another policy owns the slot).</summary>
    public object? GetPolicyState(ISchedulerPolicy policy) => ReferenceEquals(_policyOwner, policy) ? _policyState : null;

    /// <summary>Attaches <paramref name="state"/> for <paramref name="policy"/>, replacing whatever any policy attached (null clears).</summary>
    public void SetPolicyState(ISchedulerPolicy policy, object? state)
    {
        _policyOwner = state == null ? null : policy;
        _policyState = state;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}#{Id}";
}
