using System.Diagnostics;

namespace Spindle.Machine.Devices;

/// <summary>
/// The machine's clock and timer device: the time in nanoseconds, and a way for the idle CPU to sleep until
/// its next timer deadline or until the <see cref="Doorbell"/> rings (an interrupt line was raised).
/// <para>
/// Contract: called on the CPU's thread only. The kernel keeps its timers itself and checks them before
/// every slice, so a deadline is seen at the first slice boundary after it (as a hart checks its timer
/// interrupt between instructions); <see cref="Idle"/> is the only place a clock may wait.
/// </para>
/// </summary>
public abstract class MachineClock
{
    /// <summary>The current time in nanoseconds.</summary>
    public abstract long Now { get; }

    /// <summary>Called when nothing is ready: returns by <paramref name="deadline"/> (ns) or as soon as <paramref name="bell"/> rings.</summary>
    public abstract void Idle(long deadline, Doorbell bell);
}

/// <summary>The host's monotonic clock (zero when made); idling sleeps on the doorbell.</summary>
public sealed class HostMachineClock : MachineClock
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
public sealed class VirtualClock : MachineClock
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
