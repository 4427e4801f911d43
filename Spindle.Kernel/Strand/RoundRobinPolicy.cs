using System.Numerics;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Strand;

/// <summary>
/// The default policy: one FIFO per priority, highest non-empty priority first, every strand queued at
/// the back, so equal-priority strands take turns. The queues are linked through the strands; a bitmap
/// of non-empty priorities finds the next one in one instruction.
/// </summary>
public sealed class RoundRobinPolicy : ISchedulerPolicy
{
    private const int Levels = StrandHandle.MaxPriority + 1;
    private readonly StrandControl?[] _head = new StrandControl?[Levels];
    private readonly StrandControl?[] _tail = new StrandControl?[Levels];
    private readonly long _slice;
    private uint _nonEmpty;

    /// <summary>Creates the policy with a slice of <paramref name="slice"/> instructions.</summary>
    public RoundRobinPolicy(long slice)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slice);
        _slice = slice;
    }

    /// <inheritdoc/>
    public string Name => "round-robin";

    /// <summary>Round-robin keeps no per-strand bookkeeping beyond the queue links.</summary>
    public void Admit(StrandHandle strand) { }

    /// <inheritdoc/>
    public void Enqueue(StrandHandle strand, EnqueueReason reason)
    {
        var s = (StrandControl)strand;
        int p = s.Priority;
        s.RunQueued = true;
        s.RunNext = null;
        s.RunPrev = _tail[p];
        if (_tail[p] is { } t) t.RunNext = s; else _head[p] = s;
        _tail[p] = s;
        _nonEmpty |= 1u << p;
    }

    /// <inheritdoc/>
    public StrandHandle? PickNext()
    {
        if (_nonEmpty == 0) return null;
        var s = _head[BitOperations.Log2(_nonEmpty)]!;
        Unlink(s);
        return s;
    }

    /// <inheritdoc/>
    public long SliceFor(StrandHandle strand) => _slice;

    /// <summary>Round-robin charges nothing: every turn is a full slice.</summary>
    public void Charge(StrandHandle strand, long used) { }

    /// <inheritdoc/>
    public void Retire(StrandHandle strand)
    {
        var s = (StrandControl)strand;
        if (s.RunQueued) Unlink(s);
    }

    // Scheduler, after another policy faulted: forget every queue (the strands are re-queued).
    internal void Clear()
    {
        for (int p = 0; p < Levels; p++)
        {
            for (var s = _head[p]; s != null; s = s.RunNext) s.RunQueued = false;
            _head[p] = _tail[p] = null;
        }
        _nonEmpty = 0;
    }

    private void Unlink(StrandControl s)
    {
        int p = s.Priority;
        if (s.RunPrev is { } prev) prev.RunNext = s.RunNext; else _head[p] = s.RunNext;
        if (s.RunNext is { } next) next.RunPrev = s.RunPrev; else _tail[p] = s.RunPrev;
        if (_head[p] == null) _nonEmpty &= ~(1u << p);
        s.RunNext = s.RunPrev = null;
        s.RunQueued = false;
    }
}
