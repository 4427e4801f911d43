using System;
using System.Buffers.Binary;

namespace Spindle.Extensions.Linux.Net;

/// <summary>
/// A bounded queue of datagrams in one byte ring, each stored as [u32 length][u16 address length][address]
/// [payload]: a datagram socket's receive queue, with the sender's socket address beside each message. Nothing
/// is allocated per datagram. A datagram that does not fit is refused whole (the caller drops it or waits).
/// Used on the CPU's thread only.
/// </summary>
internal sealed class DatagramRing(int capacity)
{
    private const int HeaderBytes = 6;
    private readonly byte[] _ring = new byte[capacity];
    private int _head, _used;

    /// <summary>Datagrams queued.</summary>
    public int Count { get; private set; }

    /// <summary>True if nothing is queued.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>Bytes one more datagram of <paramref name="length"/> bytes from an address of <paramref name="addressLength"/> bytes takes.</summary>
    public static int Footprint(int length, int addressLength) => HeaderBytes + addressLength + length;

    /// <summary>True if a datagram of that size would fit now.</summary>
    public bool Fits(int length, int addressLength) => _used + Footprint(length, addressLength) <= _ring.Length;

    /// <summary>True if a datagram of that size could ever fit (an empty ring).</summary>
    public bool CanEverFit(int length, int addressLength) => Footprint(length, addressLength) <= _ring.Length;

    /// <summary>Queues a datagram; false (nothing queued) if it does not fit.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> data, ReadOnlySpan<byte> address)
    {
        if (!Fits(data.Length, address.Length)) return false;
        Span<byte> header = stackalloc byte[HeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(header, data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], (ushort)address.Length);
        int at = (_head + _used) % _ring.Length;
        at = Put(at, header);
        at = Put(at, address);
        Put(at, data);
        _used += Footprint(data.Length, address.Length);
        Count++;
        return true;
    }

    /// <summary>
    /// Copies the oldest datagram out: its payload into <paramref name="data"/> (the rest is cut off) and its
    /// sender into <paramref name="address"/> (cut likewise). Returns the payload's full length, or -1 if the
    /// ring is empty; <paramref name="addressLength"/> is the sender's full length. Unless <paramref name="peek"/>,
    /// the datagram leaves the ring.
    /// </summary>
    public int Dequeue(Span<byte> data, Span<byte> address, bool peek, out int addressLength)
    {
        addressLength = 0;
        if (Count == 0) return -1;
        Span<byte> header = stackalloc byte[HeaderBytes];
        int at = Get(_head, header);
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        addressLength = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        Get(at, address[..Math.Min(address.Length, addressLength)]);
        Get((at + addressLength) % _ring.Length, data[..Math.Min(data.Length, length)]);
        if (!peek)
        {
            int footprint = Footprint(length, addressLength);
            _head = (_head + footprint) % _ring.Length;
            _used -= footprint;
            Count--;
            if (Count == 0) _head = _used = 0;
        }
        return length;
    }

    /// <summary>The payload length of the oldest datagram (FIONREAD), 0 if none.</summary>
    public int NextLength
    {
        get
        {
            if (Count == 0) return 0;
            Span<byte> header = stackalloc byte[4];
            Get(_head, header);
            return BinaryPrimitives.ReadInt32LittleEndian(header);
        }
    }

    // Copies bytes into the ring at `at` (wrapping); returns the position after them.
    private int Put(int at, ReadOnlySpan<byte> bytes)
    {
        int first = Math.Min(bytes.Length, _ring.Length - at);
        bytes[..first].CopyTo(_ring.AsSpan(at));
        bytes[first..].CopyTo(_ring);
        return (at + bytes.Length) % _ring.Length;
    }

    // Copies bytes out of the ring from `at` (wrapping); returns the position after them.
    private int Get(int at, Span<byte> bytes)
    {
        int first = Math.Min(bytes.Length, _ring.Length - at);
        _ring.AsSpan(at, first).CopyTo(bytes);
        _ring.AsSpan(0, bytes.Length - first).CopyTo(bytes[first..]);
        return (at + bytes.Length) % _ring.Length;
    }
}
