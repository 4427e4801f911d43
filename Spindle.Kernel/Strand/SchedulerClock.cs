using System.Diagnostics;

namespace Spindle.Kernel.Strand;

/// <summary>The scheduler's clock (nanoseconds) and its way of idling until a deadline.</summary>
public abstract class SchedulerClock
{
    /// <summary>The current time in nanoseconds.</summary>
    public abstract long Now { get; }

    /// <summary>Called when nothing is ready: returns by <paramref name="deadline"/> (ns) or as soon as <paramref name="bell"/> rings.</summary>
    public abstract void Idle(long deadline, Doorbell bell);
}

/// <summary>The host's monotonic clock; idling sleeps on the doorbell.</summary>
public sealed class HostClock : SchedulerClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public override long Now => (long)((Stopwatch.GetTimestamp() - _start) * (1e9 / Stopwatch.Frequency));

    /// <inheritdoc/>
    public override void Idle(long deadline, Doorbell bell)
    {
        long wait = deadline - Now;
        if (wait > 0) bell.Wait(wait);
    }
}

/// <summary>A clock that moves only when told: idling jumps straight to the deadline (tests, reproducible runs).</summary>
public sealed class VirtualClock : SchedulerClock
{
    private long _now;

    /// <inheritdoc/>
    public override long Now => _now;

    /// <summary>Moves the clock forward by <paramref name="nanoseconds"/> (at least 0).</summary>
    public void Advance(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        _now += nanoseconds;
    }

    /// <inheritdoc/>
    public override void Idle(long deadline, Doorbell bell)
    {
        if (!bell.IsRung && deadline > _now) _now = deadline;
    }
}
