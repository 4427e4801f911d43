using System;
using Spindle.Sdk.Strand;

namespace Spindle.Extensions.Schedulers;

/// <summary>A stride scheduler's per-strand bookkeeping.</summary>
internal sealed class StrideEntry(StrandHandle strand, int tickets, long stride)
{
    public readonly StrandHandle Strand = strand;
    public int Tickets = tickets;
    public long Stride = stride;
    public long Pass;
    public long Order;          // ties in pass run in queueing order
    public int HeapIndex = -1;  // position in the ready heap, -1 when not queued
}

/// <summary>A binary min-heap of entries by (pass, order) that tracks each entry's position, so removal is O(log n).</summary>
internal sealed class StrideHeap
{
    private StrideEntry[] _items = new StrideEntry[16];

    public int Count { get; private set; }

    /// <summary>Adds e (not queued).</summary>
    public void Push(StrideEntry e)
    {
        if (Count == _items.Length) Array.Resize(ref _items, Count * 2);
        Place(e, Count++);
        SiftUp(e.HeapIndex);
    }

    /// <summary>Removes and returns the entry with the least pass; the heap is not empty.</summary>
    public StrideEntry Pop()
    {
        var top = _items[0];
        Remove(top);
        return top;
    }

    /// <summary>Removes e (queued).</summary>
    public void Remove(StrideEntry e)
    {
        int i = e.HeapIndex;
        var last = _items[--Count];
        _items[Count] = null!;
        e.HeapIndex = -1;
        if (i == Count) return;
        Place(last, i);
        SiftDown(i);
        SiftUp(last.HeapIndex);
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Less(_items[i], _items[parent])) return;
            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int least = i, left = 2 * i + 1, right = left + 1;
            if (left < Count && Less(_items[left], _items[least])) least = left;
            if (right < Count && Less(_items[right], _items[least])) least = right;
            if (least == i) return;
            Swap(i, least);
            i = least;
        }
    }

    private static bool Less(StrideEntry a, StrideEntry b) => a.Pass < b.Pass || (a.Pass == b.Pass && a.Order < b.Order);

    private void Swap(int i, int j)
    {
        var a = _items[i];
        Place(_items[j], i);
        Place(a, j);
    }

    private void Place(StrideEntry e, int i)
    {
        _items[i] = e;
        e.HeapIndex = i;
    }
}
