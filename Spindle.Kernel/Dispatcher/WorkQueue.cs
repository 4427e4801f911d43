using System.Collections.Concurrent;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// The kernel work queue that asynchronous handlers run on. Raises enqueue without locks and (once the
/// queues have grown to their working size) without allocation; the kernel drains it from a kernel
/// strand that <see cref="Posted"/> wakes. No host thread is created per handler.
/// </summary>
public sealed class WorkQueue
{
    private readonly ConcurrentQueue<IPendingWork> _ready = new();

    /// <summary>Called on the raising thread after each call is queued (the kernel wakes its drain strand). Must not throw.</summary>
    public Action? Posted { get; set; }

    /// <summary>Number of calls waiting.</summary>
    public int Count => _ready.Count;

    /// <summary>Runs every queued call in the order queued, including calls queued while draining; returns how many ran.</summary>
    public int Drain()
    {
        int ran = 0;
        while (_ready.TryDequeue(out var work))
            if (work.RunOne()) ran++;
        return ran;
    }

    // Called by a raise: work has one more argument waiting in its own queue.
    internal void Post(IPendingWork work)
    {
        _ready.Enqueue(work);
        Posted?.Invoke();
    }
}

/// <summary>A binding with queued arguments: each RunOne consumes the oldest.</summary>
internal interface IPendingWork
{
    /// <summary>Runs the oldest queued call; false if the binding was uninstalled meanwhile (the call is dropped).</summary>
    bool RunOne();
}
