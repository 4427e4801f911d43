using System;
using Spindle.Sdk.Strand;

namespace Spindle.Extensions.Schedulers;

/// <summary>
/// Stride scheduling (Waldspurger and Weihl, 1995): each strand advances a virtual "pass" by its
/// stride (a constant over its tickets) for every quantum it uses; the strand with the smallest pass
/// runs next. Over time each strand gets CPU in proportion to its tickets. Strands that were away
/// (new or woken) rejoin at the global pass, so they neither starve others nor bank credit.
/// Priority is ignored. Nothing allocates after a strand is admitted.
/// </summary>
public sealed class StrideScheduler : ISchedulerPolicy, IProportionalShare
{
    private const long Stride1 = (long)IProportionalShare.MaxTickets * 64;   // stride of a one-ticket strand
    private readonly long _quantum;
    private readonly int _defaultTickets;
    private readonly StrideHeap _ready = new();
    private long _globalPass;
    private long _order;

    /// <summary>
    /// Creates the policy: slices of <paramref name="quantum"/> instructions, <paramref name="defaultTickets"/>
    /// for strands nobody gave tickets to.
    /// </summary>
    public StrideScheduler(long quantum = 10_000, int defaultTickets = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantum);
        CheckTickets(defaultTickets);
        _quantum = quantum;
        _defaultTickets = defaultTickets;
    }

    /// <inheritdoc/>
    public string Name => "stride";

    /// <summary>Strands queued.</summary>
    public int ReadyCount => _ready.Count;

    /// <inheritdoc/>
    public void SetTickets(StrandHandle strand, int tickets)
    {
        ArgumentNullException.ThrowIfNull(strand);
        CheckTickets(tickets);
        var e = Entry(strand);
        e.Tickets = tickets;
        e.Stride = Stride1 / tickets;
    }

    /// <inheritdoc/>
    public int GetTickets(StrandHandle strand) => strand?.GetPolicyState(this) is StrideEntry e ? e.Tickets : _defaultTickets;

    /// <inheritdoc/>
    public void Admit(StrandHandle strand) => Entry(strand).Pass = _globalPass;

    /// <inheritdoc/>
    public void Enqueue(StrandHandle strand, EnqueueReason reason)
    {
        var e = Entry(strand);
        if (reason is EnqueueReason.New or EnqueueReason.Woken) e.Pass = Math.Max(e.Pass, _globalPass);
        e.Order = _order++;
        _ready.Push(e);
    }

    /// <inheritdoc/>
    public StrandHandle? PickNext()
    {
        if (_ready.Count == 0) return null;
        var e = _ready.Pop();
        _globalPass = e.Pass;
        return e.Strand;
    }

    /// <inheritdoc/>
    public long SliceFor(StrandHandle strand) => _quantum;

    /// <summary>Advances the strand's pass by its stride, scaled by the part of the quantum it used (at least a little).</summary>
    public void Charge(StrandHandle strand, long used)
    {
        var e = Entry(strand);
        e.Pass += Math.Max(1, e.Stride * Math.Clamp(used, 0, _quantum) / _quantum);
    }

    /// <inheritdoc/>
    public void Retire(StrandHandle strand)
    {
        if (strand.GetPolicyState(this) is not StrideEntry e) return;
        if (e.HeapIndex >= 0) _ready.Remove(e);
        strand.SetPolicyState(this, null);
    }

    // The strand's bookkeeping, attached on first use.
    private StrideEntry Entry(StrandHandle strand)
    {
        if (strand.GetPolicyState(this) is StrideEntry e) return e;
        e = new StrideEntry(strand, _defaultTickets, Stride1 / _defaultTickets);
        strand.SetPolicyState(this, e);
        return e;
    }

    private static void CheckTickets(int tickets)
    {
        if (tickets is < 1 or > IProportionalShare.MaxTickets)
            throw new ArgumentOutOfRangeException(nameof(tickets), tickets, $"tickets must be 1..{IProportionalShare.MaxTickets}");
    }
}
