using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Strand;

/// <summary>A FIFO of blocked strands, linked through the strands themselves (no allocation to wait or wake).</summary>
internal sealed class WaitQueue(Scheduler scheduler, string name) : IWaitQueue
{
    private StrandControl? _head, _tail;

    public string Name { get; } = name;

    public int Count { get; private set; }

    /// <inheritdoc/>
    public StrandAwaitable Wait(StrandHandle self, long timeoutNs = -1) => scheduler.Park(self, this, timeoutNs, "Wait");

    /// <inheritdoc/>
    public bool WakeOne()
    {
        scheduler.CheckThread("WakeOne");
        if (_head == null) return false;
        scheduler.Wake(_head, timedOut: false);
        return true;
    }

    /// <inheritdoc/>
    public int WakeAll()
    {
        scheduler.CheckThread("WakeAll");
        int woken = 0;
        for (; _head != null; woken++) scheduler.Wake(_head, timedOut: false);
        return woken;
    }

    // Scheduler: s starts waiting here. s waits on no queue.
    public void Append(StrandControl s)
    {
        s.WaitingOn = this;
        s.WaitPrev = _tail;
        s.WaitNext = null;
        if (_tail == null) _head = s; else _tail.WaitNext = s;
        _tail = s;
        Count++;
    }

    // Scheduler: s waits here; unlink it.
    public void Remove(StrandControl s)
    {
        if (s.WaitPrev == null) _head = s.WaitNext; else s.WaitPrev.WaitNext = s.WaitNext;
        if (s.WaitNext == null) _tail = s.WaitPrev; else s.WaitNext.WaitPrev = s.WaitPrev;
        s.WaitingOn = null;
        s.WaitNext = s.WaitPrev = null;
        Count--;
    }

    public override string ToString() => Name;
}
