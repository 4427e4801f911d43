using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Strand;

/// <summary>
/// The kernel's allocator of strand-local slots (<see cref="StrandSlot{T}"/>): each live slot has a small index into
/// every strand's slot array, reused once the slot is revoked. A reused index cannot show the old slot's values to
/// the new holder: strands match entries by the slot's reference, not by its index. Thread-safe.
/// </summary>
internal static class StrandSlots
{
    private static readonly Lock Gate = new();
    private static readonly Stack<int> Free = new();
    private static int s_next;

    /// <summary>A fresh slot for the domain called <paramref name="owner"/>.</summary>
    public static StrandSlot<T> Create<T>(string owner) where T : class
    {
        lock (Gate) return new StrandSlot<T>(Free.TryPop(out int index) ? index : s_next++, owner);
    }

    /// <summary>Revokes <paramref name="slot"/>: reads find nothing, writes throw, and its index goes back for reuse.</summary>
    public static void Revoke(StrandSlot slot)
    {
        lock (Gate)
        {
            if (slot.Revoked) return;
            slot.Revoked = true;
            Free.Push(slot.Index);
        }
    }
}

/// <summary>One strand's slot values (what <c>IUserStrand.Get/Set</c> read and write), indexed by slot and checked by reference.</summary>
internal struct SlotValues
{
    private Entry[]? _entries;

    private struct Entry
    {
        public object? Slot, Value;
    }

    /// <summary>The value of <paramref name="slot"/>, or null.</summary>
    public readonly object? Get(StrandSlot slot)
    {
        var entries = _entries;
        int i = slot.Index;
        return entries is not null && (uint)i < (uint)entries.Length && ReferenceEquals(entries[i].Slot, slot) && !slot.Revoked
            ? entries[i].Value : null;
    }

    /// <summary>Sets the value of <paramref name="slot"/>; throws StrandException if it was revoked or the value is not of its type.</summary>
    public void Set(StrandSlot slot, object? value)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (slot.Revoked) throw new StrandException($"{slot} was revoked");
        if (!slot.Admits(value)) throw new StrandException($"{slot} does not hold a {value!.GetType().Name}");
        int i = slot.Index;
        if (_entries is null || i >= _entries.Length) Array.Resize(ref _entries, Math.Max(4, i + 1));
        _entries[i] = new Entry { Slot = slot, Value = value };
    }
}
