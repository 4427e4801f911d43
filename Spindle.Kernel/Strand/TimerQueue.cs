namespace Spindle.Kernel.Strand;

/// <summary>
/// Timed waits ordered by deadline (ties in arming order). Cancelling bumps the strand's timer
/// generation instead of searching the heap; stale entries are dropped when they reach the top.
/// </summary>
internal sealed class TimerQueue
{
    private readonly PriorityQueue<(StrandControl Strand, int Generation), (long Deadline, long Order)> _heap = new(16);
    private long _order;

    /// <summary>Arms s's timer for <paramref name="deadline"/>; s has no armed timer.</summary>
    public void Arm(StrandControl s, long deadline)
    {
        s.TimerArmed = true;
        _heap.Enqueue((s, s.TimerGeneration), (deadline, _order++));
    }

    /// <summary>Disarms s's timer (its heap entry becomes stale).</summary>
    public static void Disarm(StrandControl s)
    {
        s.TimerArmed = false;
        s.TimerGeneration++;
    }

    /// <summary>The earliest live deadline, or false if no timer is armed. Drops stale entries on the way.</summary>
    public bool TryPeekDeadline(out long deadline)
    {
        while (_heap.TryPeek(out var e, out var key))
        {
            if (IsLive(e)) { deadline = key.Deadline; return true; }
            _heap.Dequeue();
        }
        deadline = 0;
        return false;
    }

    /// <summary>Removes and returns a strand whose timer expired at or before <paramref name="now"/>, disarming it; null if none.</summary>
    public StrandControl? PopExpired(long now)
    {
        if (!TryPeekDeadline(out long deadline) || deadline > now) return null;
        var s = _heap.Dequeue().Strand;
        Disarm(s);
        return s;
    }

    private static bool IsLive((StrandControl Strand, int Generation) e) =>
        e.Strand.TimerArmed && e.Strand.TimerGeneration == e.Generation;
}
