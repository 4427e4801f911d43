using System.Runtime.CompilerServices;
using Spindle.Sdk.Buffers;

namespace Spindle.Sdk.Block;

// One I/O request to a block device: what to do (read, write, flush), where (device, first sector, sector
// count), the data buffer, and how it ended (an errno). Contract: a handle like Mbuf (buffer + generation),
// checked on every access, so a request kept after Free throws StaleBufferException. A request is filled by
// its issuer, completed once by the device's driver (Complete), read back by the issuer, then freed.
// CPU's thread only.

/// <summary>What a block request asks of the device.</summary>
public enum BlockOperation : byte
{
    /// <summary>Read <see cref="BlockRequest.Count"/> sectors into the buffer.</summary>
    Read,
    /// <summary>Write the buffer to <see cref="BlockRequest.Count"/> sectors.</summary>
    Write,
    /// <summary>Make every completed write durable (sector and count are ignored).</summary>
    Flush,
}

/// <summary>
/// A pooled block I/O request. Taken from an <see cref="IBlockRequestPool"/> with its operation and place, its
/// <see cref="Data"/> filled (a write) or read back (a read) by the issuer; the driver calls <see cref="Complete"/>
/// with 0 or a negated errno. Nothing is allocated per request. Using a handle after it was freed, or freeing it
/// twice, throws <see cref="StaleBufferException"/>.
/// </summary>
public readonly struct BlockRequest
{
    /// <summary>Bytes per sector.</summary>
    public const int SectorSize = 512;

    /// <summary><see cref="Status"/> until the request completes.</summary>
    public const int Pending = 1;

    private readonly BlockBuffer? _buffer;
    private readonly int _generation;

    internal BlockRequest(BlockBuffer buffer)
    {
        _buffer = buffer;
        _generation = buffer.Generation;
    }

    /// <summary>True for the default handle, what a failed allocation yields.</summary>
    public bool IsNull => _buffer == null;

    /// <summary>The operation.</summary>
    public BlockOperation Operation => Live("Operation").Operation;

    /// <summary>The device it is addressed to.</summary>
    public int Device => Live("Device").Device;

    /// <summary>The first sector.</summary>
    public ulong Sector => Live("Sector").Sector;

    /// <summary>Sectors to transfer (0 for a flush).</summary>
    public int Count => Live("Count").Count;

    /// <summary>The data: <see cref="Count"/> × <see cref="SectorSize"/> bytes of the request's own buffer.</summary>
    public Span<byte> Data { get { var b = Live("Data"); return b.Storage.AsSpan(0, b.Count * SectorSize); } }

    /// <summary><see cref="Pending"/> until completed; then 0 (done) or a negated errno (-EIO, ...).</summary>
    public int Status => Live("Status").Status;

    /// <summary>True once the driver completed it.</summary>
    public bool IsComplete => Live("IsComplete").Status != Pending;

    /// <summary>The driver: the request ended with <paramref name="status"/> (0 or a negated errno). Once only.</summary>
    /// <exception cref="InvalidOperationException">Already completed, or <paramref name="status"/> is positive.</exception>
    public void Complete(int status)
    {
        var b = Live("Complete");
        if (status > 0) throw new InvalidOperationException($"Complete({status}): a status is 0 or a negated errno");
        if (b.Status != Pending) throw new InvalidOperationException($"Complete({status}): the request already completed with {b.Status}");
        b.Status = status;
    }

    /// <summary>True if both handles name the same lending of the same request.</summary>
    public bool SameAs(BlockRequest other) => ReferenceEquals(_buffer, other._buffer) && _generation == other._generation;

    // The pool: the buffer behind this handle, checked live.
    internal BlockBuffer Buffer(string what) => Live(what);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private BlockBuffer Live(string what)
    {
        var b = _buffer ?? throw new StaleBufferException($"{what}: the request handle is null (the allocation failed)");
        b.Check(_generation, what);
        return b;
    }
}

// The storage and fields behind a BlockRequest. Made and recycled by the kernel's request pool.
internal sealed class BlockBuffer(int size) : PooledBuffer(size)
{
    public BlockOperation Operation;
    public int Device, Count, Status;
    public ulong Sector;
}
