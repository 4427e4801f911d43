namespace Spindle.Kernel.Dispatcher;

/// <summary>Bindings kept sorted by Label (the event's order). Caller holds the event table's lock.</summary>
internal sealed class SortedBindings<TArg, TResult>
{
    private readonly List<Binding<TArg, TResult>> _items = [];

    public int Count => _items.Count;

    public List<Binding<TArg, TResult>> Items => _items;

    /// <summary>Inserts b at its place in the order: O(log n) search, O(n) move (none when appending).</summary>
    public void Add(Binding<TArg, TResult> b) => _items.Insert(Find(b.Label), b);

    /// <summary>Removes b; labels are unique, so the search lands on it.</summary>
    public void Remove(Binding<TArg, TResult> b)
    {
        int i = Find(b.Label);
        if (i < _items.Count && ReferenceEquals(_items[i], b)) _items.RemoveAt(i);
        else throw new InvalidOperationException($"dispatcher order corrupted: {b} not found");
    }

    /// <summary>The two ordered lists merged in order (for a bucket's routine: unindexed handlers interleaved with the bucket's).</summary>
    public static List<Binding<TArg, TResult>> Merge(SortedBindings<TArg, TResult> a, SortedBindings<TArg, TResult> b)
    {
        var merged = new List<Binding<TArg, TResult>>(a.Count + b.Count);
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
            merged.Add(j == b.Count || (i < a.Count && a._items[i].Label < b._items[j].Label) ? a._items[i++] : b._items[j++]);
        return merged;
    }

    // First index whose label is >= label.
    private int Find(long label)
    {
        int lo = 0, hi = _items.Count;
        if (hi > 0 && _items[hi - 1].Label < label) return hi; // appending: the common case
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_items[mid].Label < label) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
