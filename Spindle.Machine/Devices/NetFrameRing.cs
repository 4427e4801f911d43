using System.Diagnostics;

namespace Spindle.Machine.Devices;

/// <summary>
/// A bounded ring of Ethernet frames, each copied into a fixed slot: one producer thread and one consumer
/// thread (a NIC's receive ring: the backend's thread fills it, the CPU's thread empties it; its transmit
/// ring the other way round). Nothing is allocated after construction.
/// <para>
/// Contract. Only one thread calls <see cref="TryPush"/> and only one calls <see cref="Peek"/>,
/// <see cref="Pop"/> and <see cref="Drop"/>; the two may differ. A pushed frame is visible to the consumer
/// whole (its bytes are written before the producer publishes the tail).
/// </para>
/// </summary>
public sealed class NetFrameRing
{
    private readonly byte[] _bytes;
    private readonly int[] _lengths;
    private readonly int _slotSize, _mask;
    private long _head, _tail;        // _head: next to consume (consumer writes); _tail: next to fill (producer writes)

    /// <summary>A ring of <paramref name="slots"/> (a power of two) frames of at most <paramref name="slotSize"/> bytes.</summary>
    public NetFrameRing(int slots, int slotSize)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(slots), slots, "a power of two");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotSize);
        _bytes = new byte[slots * slotSize];
        _lengths = new int[slots];
        _slotSize = slotSize;
        _mask = slots - 1;
    }

    /// <summary>Frames the ring holds at most.</summary>
    public int Capacity => _mask + 1;

    /// <summary>The longest frame a slot holds.</summary>
    public int SlotSize => _slotSize;

    /// <summary>Frames queued now (a snapshot).</summary>
    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    /// <summary>Producer: copies <paramref name="frame"/> in; false (nothing copied) when full or the frame is longer than a slot.</summary>
    public bool TryPush(ReadOnlySpan<byte> frame)
    {
        long tail = _tail;
        if (frame.Length > _slotSize || tail - Volatile.Read(ref _head) > _mask) return false;
        int slot = (int)(tail & _mask);
        frame.CopyTo(_bytes.AsSpan(slot * _slotSize, _slotSize));
        _lengths[slot] = frame.Length;
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Consumer: the oldest frame, in place (valid until <see cref="Drop"/>); empty when none is queued.</summary>
    public ReadOnlySpan<byte> Peek()
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail)) return default;
        int slot = (int)(head & _mask);
        return _bytes.AsSpan(slot * _slotSize, _lengths[slot]);
    }

    /// <summary>Consumer: forgets the oldest frame (after <see cref="Peek"/> found one).</summary>
    public void Drop()
    {
        Debug.Assert(_head != Volatile.Read(ref _tail), "Drop of an empty ring");
        Volatile.Write(ref _head, _head + 1);
    }

    /// <summary>
    /// Consumer: copies the oldest frame into <paramref name="into"/> and drops it. Returns its length, 0 when
    /// none is queued, or -EMSGSIZE (-90) when <paramref name="into"/> is too short (the frame stays).
    /// </summary>
    public int Pop(Span<byte> into)
    {
        var frame = Peek();
        if (frame.IsEmpty) return 0;
        if (frame.Length > into.Length) return -90;
        frame.CopyTo(into);
        Drop();
        return frame.Length;
    }
}
