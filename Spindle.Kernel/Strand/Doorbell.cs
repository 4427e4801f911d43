using System.Collections.Concurrent;

namespace Spindle.Kernel.Strand;

/// <summary>
/// The CPU's one host wait primitive: I/O threads post interrupts here and ring it; the idle CPU
/// sleeps on it until an interrupt or its next timer. Posting is thread-safe; everything else is
/// called on the CPU's thread.
/// </summary>
public sealed class Doorbell
{
    private readonly ManualResetEventSlim _bell = new(false, spinCount: 1);
    private readonly ConcurrentQueue<Action> _interrupts = new();

    /// <summary>True if rung since the CPU last serviced it.</summary>
    public bool IsRung => _bell.IsSet;

    /// <summary>Any thread: queues <paramref name="handler"/> to run on the CPU's thread and wakes the CPU.</summary>
    public void Post(Action handler)
    {
        _interrupts.Enqueue(handler ?? throw new ArgumentNullException(nameof(handler)));
        _bell.Set();
    }

    /// <summary>Any thread: wakes the CPU without an interrupt (a stop request).</summary>
    public void Ring() => _bell.Set();

    /// <summary>Sleeps until rung or until <paramref name="timeoutNs"/> nanoseconds pass (negative: no limit).</summary>
    public void Wait(long timeoutNs)
    {
        if (timeoutNs < 0) _bell.Wait();
        else _bell.Wait(TimeSpan.FromTicks(Math.Max(1, timeoutNs / 100)));
    }

    /// <summary>CPU thread: takes the next posted interrupt, clearing the bell first so no later post is missed.</summary>
    public bool TryTake(out Action handler)
    {
        if (_bell.IsSet) _bell.Reset();
        return _interrupts.TryDequeue(out handler!);
    }
}
