using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Spindle.Kernel.Dispatcher;

/// <summary>An immutable entry of a <see cref="KeyTable{TKey, TEntry}"/>: its key and the key's hash.</summary>
internal abstract class KeyedEntry<TKey>
{
    protected KeyedEntry(TKey key)
    {
        Key = key;
        Hash = KeyOps<TKey>.Hash(key);
    }

    /// <summary>The key.</summary>
    public readonly TKey Key;

    /// <summary>KeyOps.Hash(Key), computed once.</summary>
    public readonly int Hash;

    /// <summary>False only for the tombstones a removal leaves in a hashed table.</summary>
    public virtual bool Live => true;
}

/// <summary>
/// Key to entry map read without locks by raises, written under the owner's lock. Integral keys that fall
/// in a range not much larger than their number live in a dense array (one subtract, one bounds check);
/// other keys in an open-addressing table with linear probing, tombstones for removals and the hash kept
/// in each entry. Writers replace whole slots (entries are immutable) or publish a rebuilt state, so a
/// reader sees every key that is not being changed concurrently, and never a torn entry.
/// </summary>
internal sealed class KeyTable<TKey, TEntry> where TEntry : KeyedEntry<TKey>
{
    private const int MinCapacity = 16;

    // One published layout: Dense (slot = key bits - Min) or hashed (slot = hash & Mask, probing on).
    private sealed class State(KeyedEntry<TKey>?[] slots, bool dense, long min)
    {
        public readonly KeyedEntry<TKey>?[] Slots = slots;
        public readonly bool Dense = dense;
        public readonly long Min = min;
        public readonly int Mask = slots.Length - 1;
    }

    // What a removal leaves in a hashed slot: probes for other keys go on past it.
    private sealed class Tombstone(TKey key) : KeyedEntry<TKey>(key)
    {
        public override bool Live => false;
    }

    private State _state = new(new KeyedEntry<TKey>?[MinCapacity], KeyOps<TKey>.Integral, 0); // integral: dense over 0..15
    private int _used;   // hashed layout: non-null slots (live + tombstones); writers only

    /// <summary>Number of live entries. Writers only.</summary>
    public int Count { get; private set; }

    /// <summary>True if the current layout is the dense array (for tests).</summary>
    internal bool IsDense => Volatile.Read(ref _state).Dense;

    /// <summary>The live entry for <paramref name="key"/>, or null. Lock-free; allocation-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TEntry? Find(TKey key)
    {
        var s = Volatile.Read(ref _state);
        if (KeyOps<TKey>.Integral && s.Dense)
        {
            ulong offset = (ulong)(KeyOps<TKey>.Bits(key) - s.Min);
            return offset < (ulong)s.Slots.Length // checked: index without a second bounds check
                ? Unsafe.As<TEntry?>(Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s.Slots), (nint)offset))
                : null;
        }
        return FindHashed(s, key);
    }

    // Probe from the key's home slot to its entry or the first empty slot (the table is never full).
    private static TEntry? FindHashed(State s, TKey key)
    {
        int hash = KeyOps<TKey>.Hash(key);
        var slots = s.Slots;
        for (int i = hash & s.Mask; ; i = (i + 1) & s.Mask)
        {
            var e = slots[i];
            if (e == null) return null;
            if (e.Hash == hash && e.Live && KeyOps<TKey>.Equal(e.Key, key)) return Unsafe.As<TEntry>(e);
        }
    }

    /// <summary>Adds <paramref name="entry"/>, or replaces the live entry with its key. Caller holds the writers' lock.</summary>
    public void Set(TEntry entry)
    {
        var s = _state;
        if (s.Dense)
        {
            ulong offset = (ulong)(KeyOps<TKey>.Bits(entry.Key) - s.Min);
            if (offset >= (ulong)s.Slots.Length) { Rebuild(entry); return; }
            if (s.Slots[offset] == null) Count++;
            Volatile.Write(ref s.Slots[offset], entry);
            return;
        }
        int tombstone = -1, empty;
        for (int i = entry.Hash & s.Mask; ; i = (i + 1) & s.Mask)
        {
            var e = s.Slots[i];
            if (e == null) { empty = i; break; }
            if (!e.Live) { if (tombstone < 0) tombstone = i; continue; }
            if (e.Hash == entry.Hash && KeyOps<TKey>.Equal(e.Key, entry.Key))
            {
                Volatile.Write(ref s.Slots[i], entry);
                return;
            }
        }
        Count++;
        if (tombstone >= 0)                   // reuse: readers probing past it see a non-null slot either way
        {
            Volatile.Write(ref s.Slots[tombstone], entry);
            return;
        }
        if ((_used + 1) * 4 > s.Slots.Length * 3) { Count--; Rebuild(entry); return; }
        _used++;
        Volatile.Write(ref s.Slots[empty], entry);
    }

    /// <summary>Removes the live entry for <paramref name="key"/>; false if there was none. Caller holds the writers' lock.</summary>
    public bool Remove(TKey key)
    {
        var s = _state;
        if (s.Dense)
        {
            ulong offset = (ulong)(KeyOps<TKey>.Bits(key) - s.Min);
            if (offset >= (ulong)s.Slots.Length || s.Slots[offset] == null) return false;
            Volatile.Write(ref s.Slots[offset], null);
            Count--;
            return true;
        }
        int hash = KeyOps<TKey>.Hash(key);
        for (int i = hash & s.Mask; ; i = (i + 1) & s.Mask)
        {
            var e = s.Slots[i];
            if (e == null) return false;
            if (e.Hash == hash && e.Live && KeyOps<TKey>.Equal(e.Key, key))
            {
                Volatile.Write(ref s.Slots[i], new Tombstone(key));
                Count--;
                return true;
            }
        }
    }

    /// <summary>The live entries, in no particular order. Caller holds the writers' lock.</summary>
    public IEnumerable<TEntry> Entries()
    {
        foreach (var e in _state.Slots)
            if (e is { Live: true }) yield return Unsafe.As<TEntry>(e);
    }

    // Lays the live entries plus extra out afresh (dense if the keys allow it) and publishes the layout.
    private void Rebuild(TEntry extra)
    {
        var live = new List<TEntry>(Entries()) { extra };
        var next = DenseLayout(live) ?? HashedLayout(live);
        _used = next.Dense ? 0 : live.Count;
        Count = live.Count;
        Volatile.Write(ref _state, next);
    }

    // A dense array over the keys' range, with room to grow upwards; null if the keys are too sparse for one.
    private static State? DenseLayout(List<TEntry> live)
    {
        if (!KeyOps<TKey>.Integral) return null;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var e in live)
        {
            long bits = KeyOps<TKey>.Bits(e.Key);
            min = Math.Min(min, bits);
            max = Math.Max(max, bits);
        }
        ulong span = (ulong)(max - min);                     // exact even when max - min overflows a long
        if (span >= 4UL * (ulong)live.Count + 64) return null;
        var slots = new KeyedEntry<TKey>?[Math.Max(MinCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)(2 * span + 2)))];
        foreach (var e in live) slots[KeyOps<TKey>.Bits(e.Key) - min] = e;
        return new State(slots, true, min);
    }

    // An open-addressing table at most half full.
    private static State HashedLayout(List<TEntry> live)
    {
        var slots = new KeyedEntry<TKey>?[Math.Max(MinCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)(2 * live.Count)))];
        int mask = slots.Length - 1;
        foreach (var e in live)
        {
            int i = e.Hash & mask;
            while (slots[i] != null) i = (i + 1) & mask;
            slots[i] = e;
        }
        return new State(slots, false, 0);
    }
}

/// <summary>Equality, hashing and (for integral keys) a long image of index keys.</summary>
internal static class KeyOps<TKey>
{
    /// <summary>True for integral, bool, char and enum keys: compared and hashed through <see cref="Bits"/>.</summary>
    public static readonly bool Integral = typeof(TKey).IsPrimitive || typeof(TKey).IsEnum;

    private static readonly bool Signed = Integral && Type.GetTypeCode(typeof(TKey)) is
        TypeCode.SByte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64;

    /// <summary>An integral key as a long, one to one (sign-extended for signed types). Integral keys only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Bits(TKey key) => Unsafe.SizeOf<TKey>() switch
    {
        1 => Signed ? Unsafe.As<TKey, sbyte>(ref key) : Unsafe.As<TKey, byte>(ref key),
        2 => Signed ? Unsafe.As<TKey, short>(ref key) : Unsafe.As<TKey, ushort>(ref key),
        4 => Signed ? Unsafe.As<TKey, int>(ref key) : Unsafe.As<TKey, uint>(ref key),
        _ => Unsafe.As<TKey, long>(ref key),
    };

    /// <summary>The key's hash (a Fibonacci mix of the bits for integral keys; 0 for null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Hash(TKey key) => Integral
        ? (int)(((ulong)Bits(key) * 0x9E3779B97F4A7C15UL) >> 32)
        : key is null ? 0 : EqualityComparer<TKey>.Default.GetHashCode(key);

    /// <summary>The equality the guard's == means for index keys.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(TKey a, TKey b) => Integral ? Bits(a) == Bits(b) : EqualityComparer<TKey>.Default.Equals(a, b);
}
