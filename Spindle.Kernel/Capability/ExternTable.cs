using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Spindle.Sdk.Capability;

namespace Spindle.Kernel.Capability;

/// <summary>
/// Externalized references of one address space (SPIN's externalized references): a handle is
/// <c>generation &lt;&lt; 16 | slot</c>, so the first handles are the small integers 1, 2, 3...
/// Revoking a handle bumps its slot's generation before the slot is reused, so a stale number
/// names nothing; a slot whose generation would wrap is retired instead of reused.
/// Thread-safe: revocation may come from another thread (a domain being destroyed).
/// </summary>
public sealed class ExternTable : IExternTable
{
    private const int IndexBits = 16;
    private const int IndexMask = (1 << IndexBits) - 1;
    /// <summary>Largest generation: keeps every handle a positive int.</summary>
    private const int MaxGeneration = (1 << (31 - IndexBits)) - 1;

    private readonly Lock _lock = new();
    private readonly int _capacity;
    private Slot[] _slots = new Slot[16];   // slot 0 is never used: handle 0 is invalid
    private int _used = 1;                   // slots [1, _used) have been handed out at least once
    private readonly Stack<int> _free = new();
    private int _count;

    private struct Slot
    {
        public object? Value;
        public object? Owner;
        public int Generation;
    }

    /// <summary>Creates a table holding at most <paramref name="capacity"/> live references (at most 65535).</summary>
    public ExternTable(int capacity = IndexMask)
    {
        if (capacity is < 1 or > IndexMask)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"must be in 1..{IndexMask}");
        _capacity = capacity;
    }

    /// <summary>Number of live references.</summary>
    public int Count { get { lock (_lock) return _count; } }

    /// <inheritdoc/>
    public int Externalize(object value) => Externalize(value, owner: null);

    /// <summary>Like <see cref="Externalize(object)"/>, recording <paramref name="owner"/> for <see cref="RevokeOwnedBy"/>.</summary>
    public int Externalize(object value, object? owner)
    {
        if (!TryExternalize(value, owner, out int handle)) throw new CapabilityException(CapabilityError.Full, 0);
        return handle;
    }

    /// <summary>Returns false (and handle 0) when the table is full.</summary>
    public bool TryExternalize(object value, object? owner, out int handle)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            handle = 0;
            int index;
            if (_free.Count > 0) index = _free.Pop();
            else if (_used <= _capacity)
            {
                index = _used++;
                if (index >= _slots.Length) Array.Resize(ref _slots, Math.Min(_slots.Length * 2, _capacity + 1));
            }
            else return false;
            ref Slot s = ref _slots[index];
            s.Value = value;
            s.Owner = owner;
            _count++;
            handle = s.Generation << IndexBits | index;
            return true;
        }
    }

    /// <inheritdoc/>
    public CapabilityError TryGet<T>(int handle, [MaybeNullWhen(true)] out T value) where T : class
    {
        lock (_lock)
        {
            var error = Find(handle, out int index);
            if (error != CapabilityError.None) { value = null!; return error; }
            if (_slots[index].Value is T typed) { value = typed; return CapabilityError.None; }
            value = null!;
            return CapabilityError.WrongType;
        }
    }

    /// <summary>The <typeparamref name="T"/> named by <paramref name="handle"/>; throws <see cref="CapabilityException"/> otherwise.</summary>
    public T Get<T>(int handle) where T : class
    {
        var error = TryGet<T>(handle, out var value);
        return error == CapabilityError.None ? value : Fail<T>(error, handle);
    }

    /// <inheritdoc/>
    public CapabilityError Revoke(int handle)
    {
        lock (_lock)
        {
            var error = Find(handle, out int index);
            if (error == CapabilityError.None) Release(index);
            return error;
        }
    }

    /// <summary>Revokes every reference externalized with <paramref name="owner"/>; returns how many.</summary>
    public int RevokeOwnedBy(object owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        int revoked = 0;
        lock (_lock)
            for (int i = 1; i < _used; i++)
                if (_slots[i].Value is not null && ReferenceEquals(_slots[i].Owner, owner)) { Release(i); revoked++; }
        return revoked;
    }

    /// <summary>A view of this table whose externalizations are owned by <paramref name="owner"/> (given to extension code).</summary>
    public IExternTable ViewFor(object owner) => new OwnedView(this, owner);

    // Caller holds _lock. Checks that `handle` names a live slot at its current generation.
    private CapabilityError Find(int handle, out int index)
    {
        index = handle & IndexMask;
        if (handle <= 0 || index == 0 || index >= _used) return CapabilityError.Invalid;
        ref Slot s = ref _slots[index];
        int generation = handle >>> IndexBits;
        if (generation == s.Generation) return s.Value is null ? CapabilityError.Invalid : CapabilityError.None;
        return generation < s.Generation ? CapabilityError.Revoked : CapabilityError.Invalid;
    }

    // Caller holds _lock. Empties a live slot and makes it reusable under the next generation.
    private void Release(int index)
    {
        ref Slot s = ref _slots[index];
        s.Value = null;
        s.Owner = null;
        _count--;
        s.Generation++;                                   // past MaxGeneration: retired, never reused
        if (s.Generation <= MaxGeneration) _free.Push(index);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Fail<T>(CapabilityError error, int handle) => throw new CapabilityException(error, handle);

    private sealed class OwnedView(ExternTable table, object owner) : IExternTable
    {
        public int Externalize(object value) => table.Externalize(value, owner);
        public CapabilityError TryGet<T>(int handle, [MaybeNullWhen(true)] out T value) where T : class => table.TryGet(handle, out value);
        public CapabilityError Revoke(int handle) => table.Revoke(handle);
    }
}
