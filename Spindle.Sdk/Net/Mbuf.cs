using System.Runtime.CompilerServices;
using Spindle.Sdk.Buffers;

namespace Spindle.Sdk.Net;

// The packet buffer of the network stack. Named after the BSD mbuf, the buffer SPIN's Plexus protocol
// graphs (spin/user/net) passed from layer to layer; this one is a single contiguous buffer, not a chain.
// Contract: an Mbuf is a handle (buffer + the generation it was lent under); every member checks the
// generation first, so a handle kept after Free throws StaleBufferException instead of touching a buffer
// someone else now owns. Handles are values: copies share the buffer and its data window. CPU's thread only.

/// <summary>
/// A pooled packet buffer with headroom (SPIN's Plexus called its packet buffer an mbuf, after BSD). Its data
/// is a window [offset, offset + length) of a fixed storage block: a layer going down <see cref="Prepend"/>s its
/// header into the headroom, a layer going up <see cref="Adjust"/>s its header away and hands the rest on, or
/// hands a <see cref="Slice"/> (a view that shares the storage) up without copying. Taken from and returned to
/// an <see cref="IMbufPool"/>; nothing is allocated per packet. Using a handle after it was freed, or freeing
/// it twice, throws <see cref="StaleBufferException"/>.
/// </summary>
public readonly struct Mbuf
{
    private readonly MbufBuffer? _buffer;
    private readonly int _generation;

    internal Mbuf(MbufBuffer buffer)
    {
        _buffer = buffer;
        _generation = buffer.Generation;
    }

    /// <summary>True for the default handle (no buffer), what a failed allocation yields.</summary>
    public bool IsNull => _buffer == null;

    /// <summary>Bytes of data in the window.</summary>
    public int Length => Live("Length").Length;

    /// <summary>Free bytes before the data: how much can still be prepended.</summary>
    public int Headroom => Live("Headroom").Offset;

    /// <summary>Free bytes after the data: how much can still be appended.</summary>
    public int Tailroom { get { var b = Live("Tailroom"); return b.Storage.Length - b.Offset - b.Length; } }

    /// <summary>The data window, writable in place.</summary>
    public Span<byte> Data { get { var b = Live("Data"); return b.Storage.AsSpan(b.Offset, b.Length); } }

    /// <summary>Grows the window by <paramref name="count"/> bytes at the front (a header going down) and returns them.</summary>
    /// <exception cref="BufferRangeException">Less than <paramref name="count"/> bytes of headroom (the buffer never grows).</exception>
    public Span<byte> Prepend(int count)
    {
        var b = Live("Prepend");
        if ((uint)count > (uint)b.Offset) throw new BufferRangeException($"Prepend({count}): only {b.Offset} bytes of headroom");
        b.Offset -= count;
        b.Length += count;
        return b.Storage.AsSpan(b.Offset, count);
    }

    /// <summary>Grows the window by <paramref name="count"/> bytes at the end and returns them.</summary>
    /// <exception cref="BufferRangeException">Less than <paramref name="count"/> bytes of tailroom.</exception>
    public Span<byte> Append(int count)
    {
        var b = Live("Append");
        int end = b.Offset + b.Length;
        if ((uint)count > (uint)(b.Storage.Length - end)) throw new BufferRangeException($"Append({count}): only {b.Storage.Length - end} bytes of tailroom");
        b.Length += count;
        return b.Storage.AsSpan(end, count);
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front of the window (a header going up); they become headroom.</summary>
    public void Adjust(int count)
    {
        var b = Live("Adjust");
        if ((uint)count > (uint)b.Length) throw new BufferRangeException($"Adjust({count}): the packet holds {b.Length} bytes");
        b.Offset += count;
        b.Length -= count;
    }

    /// <summary>Drops <paramref name="count"/> bytes from the end of the window (padding, a trailer).</summary>
    public void Trim(int count)
    {
        var b = Live("Trim");
        if ((uint)count > (uint)b.Length) throw new BufferRangeException($"Trim({count}): the packet holds {b.Length} bytes");
        b.Length -= count;
    }

    /// <summary>Empties the window and leaves <paramref name="headroom"/> bytes in front of it.</summary>
    public void Reset(int headroom)
    {
        var b = Live("Reset");
        if ((uint)headroom > (uint)b.Storage.Length) throw new BufferRangeException($"Reset({headroom}): the buffer holds {b.Storage.Length} bytes");
        b.Offset = headroom;
        b.Length = 0;
    }

    /// <summary>
    /// A view of <paramref name="length"/> bytes at <paramref name="offset"/> into the window, sharing the storage
    /// (no copy). It stays at those bytes if the window later moves, and is stale once the packet is freed.
    /// </summary>
    public MbufView Slice(int offset, int length)
    {
        var b = Live("Slice");
        if ((uint)offset > (uint)b.Length || (uint)length > (uint)(b.Length - offset))
            throw new BufferRangeException($"Slice({offset}, {length}): the packet holds {b.Length} bytes");
        return new MbufView(b, _generation, b.Offset + offset, length);
    }

    /// <summary>True if both handles name the same lending of the same buffer.</summary>
    public bool SameAs(Mbuf other) => ReferenceEquals(_buffer, other._buffer) && _generation == other._generation;

    // The pool: the buffer behind this handle, checked live. Throws for a stale or null handle.
    internal MbufBuffer Buffer(string what) => Live(what);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private MbufBuffer Live(string what)
    {
        var b = _buffer ?? throw new StaleBufferException($"{what}: the packet handle is null (the allocation failed)");
        b.Check(_generation, what);
        return b;
    }
}

/// <summary>
/// A range of a packet's bytes handed up the stack without copying: it shares the packet's storage. Checked on
/// every access like its <see cref="Mbuf"/>: once the packet is freed the view throws <see cref="StaleBufferException"/>.
/// </summary>
public readonly struct MbufView
{
    private readonly MbufBuffer? _buffer;
    private readonly int _generation, _start;

    internal MbufView(MbufBuffer buffer, int generation, int start, int length)
    {
        _buffer = buffer;
        _generation = generation;
        _start = start;
        Length = length;
    }

    /// <summary>Bytes in the view.</summary>
    public int Length { get; }

    /// <summary>The bytes, writable in place (they are the packet's own).</summary>
    public Span<byte> Span
    {
        get
        {
            var b = _buffer ?? throw new StaleBufferException("MbufView: the view is empty (default)");
            b.Check(_generation, "MbufView");
            return b.Storage.AsSpan(_start, Length);
        }
    }

    /// <summary>A narrower view of this one (no copy).</summary>
    public MbufView Slice(int offset, int length)
    {
        if ((uint)offset > (uint)Length || (uint)length > (uint)(Length - offset))
            throw new BufferRangeException($"Slice({offset}, {length}): the view holds {Length} bytes");
        _ = Span;   // checks the view is live
        return new MbufView(_buffer!, _generation, _start + offset, length);
    }
}

// The storage behind an Mbuf and its data window. Made and recycled by the kernel's packet pool.
internal sealed class MbufBuffer(int size) : PooledBuffer(size)
{
    public int Offset, Length;
}
