using Spindle.Sdk.VirtAddr;

namespace Spindle.Kernel.VirtAddr;

/// <summary>
/// The reserved virtual ranges of one context: disjoint, sorted by start. Lookups are a binary search.
/// Not thread-safe (its context is manipulated by one kernel strand at a time).
/// </summary>
public sealed class Reservations
{
    private readonly List<VirtRange> _ranges = [];

    /// <summary>Number of reserved ranges.</summary>
    public int Count => _ranges.Count;

    /// <summary>The ranges in address order.</summary>
    public IReadOnlyList<VirtRange> All => _ranges;

    /// <summary>The range holding <paramref name="va"/>, or null.</summary>
    public VirtRange? Find(ulong va)
    {
        int i = LastStartingAtOrBefore(va);
        return i >= 0 && va < _ranges[i].End ? _ranges[i] : null;
    }

    /// <summary>True if [start, end) overlaps no reserved range.</summary>
    public bool IsFree(ulong start, ulong end)
    {
        int i = LastStartingAtOrBefore(end - 1);
        return i < 0 || _ranges[i].End <= start;
    }

    /// <summary>The end of the range holding <paramref name="start"/>, or start itself if no range holds it.</summary>
    public ulong SkipReserved(ulong start)
    {
        int i = LastStartingAtOrBefore(start);
        return i >= 0 && start < _ranges[i].End ? _ranges[i].End : start;
    }

    /// <summary>Start of the first range starting above <paramref name="va"/>, or ulong.MaxValue.</summary>
    public ulong NextStartAfter(ulong va)
    {
        int i = LastStartingAtOrBefore(va) + 1;
        return i < _ranges.Count ? _ranges[i].Start : ulong.MaxValue;
    }

    /// <summary>Adds a range; caller checked <see cref="IsFree"/>.</summary>
    public void Add(VirtRange range) => _ranges.Insert(LastStartingAtOrBefore(range.Start) + 1, range);

    /// <summary>Removes a range; false if it is not here.</summary>
    public bool Remove(VirtRange range)
    {
        int i = LastStartingAtOrBefore(range.Start);
        if (i < 0 || !ReferenceEquals(_ranges[i], range)) return false;
        _ranges.RemoveAt(i);
        return true;
    }

    /// <summary>Removes every range, marking each released.</summary>
    public void Clear()
    {
        foreach (var r in _ranges) r.Allocated = false;
        _ranges.Clear();
    }

    // Index of the last range whose start is <= va, or -1.
    private int LastStartingAtOrBefore(ulong va)
    {
        int lo = 0, hi = _ranges.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ranges[mid].Start <= va) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }
}
