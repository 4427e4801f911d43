using System;

namespace Spindle.Extensions.Net;

/// <summary>
/// A connection's byte ring: a fixed array, made once per connection, so nothing is allocated per segment.
/// <see cref="Count"/> bytes from the head are committed (in order); bytes past them may be written ahead
/// (<see cref="WriteAt"/>: out-of-order data) and committed later. Contract: the owning connection calls it on
/// the CPU's thread, and keeps offsets and counts inside the ring: writes within <see cref="Free"/>, reads
/// within <see cref="Count"/> (past them the array's bounds check throws, which the domain's containment catches).
/// </summary>
internal sealed class TcpRing(int capacity)
{
    private byte[] _bytes = new byte[capacity];
    private int _head;

    /// <summary>Bytes the ring holds at most.</summary>
    public int Capacity => _bytes.Length;

    /// <summary>Committed bytes, from the head.</summary>
    public int Count { get; private set; }

    /// <summary>Room after the committed bytes.</summary>
    public int Free => _bytes.Length - Count;

    /// <summary>Writes <paramref name="data"/> <paramref name="offset"/> bytes past the committed ones, without committing them.</summary>
    public void WriteAt(int offset, ReadOnlySpan<byte> data)
    {
        int start = (_head + Count + offset) % _bytes.Length;
        int first = Math.Min(data.Length, _bytes.Length - start);
        data[..first].CopyTo(_bytes.AsSpan(start));
        data[first..].CopyTo(_bytes);
    }

    /// <summary>Commits <paramref name="count"/> bytes written past the committed ones.</summary>
    public void Commit(int count)
    {
        Count += count;
    }

    /// <summary>Appends as much of <paramref name="data"/> as fits; how many bytes.</summary>
    public int Append(ReadOnlySpan<byte> data)
    {
        int n = Math.Min(data.Length, Free);
        WriteAt(0, data[..n]);
        Count += n;
        return n;
    }

    /// <summary>Copies committed bytes from <paramref name="offset"/> into <paramref name="destination"/> (all of it).</summary>
    public void CopyOut(int offset, Span<byte> destination)
    {
        int start = (_head + offset) % _bytes.Length;
        int first = Math.Min(destination.Length, _bytes.Length - start);
        _bytes.AsSpan(start, first).CopyTo(destination);
        _bytes.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }

    /// <summary>Drops <paramref name="count"/> committed bytes from the head.</summary>
    public void Discard(int count)
    {
        _head = (_head + count) % _bytes.Length;
        Count -= count;                                // the head stays put: bytes written ahead keep their place
    }

    /// <summary>Gives the ring <paramref name="capacity"/> bytes if it is empty (SO_RCVBUF, SO_SNDBUF); false otherwise.</summary>
    public bool TryResize(int capacity)
    {
        if (Count != 0) return false;
        if (capacity != _bytes.Length) _bytes = new byte[capacity];
        _head = 0;
        return true;
    }
}
