using Spindle.Kernel.Buffers;
using Spindle.Sdk.Block;
using Spindle.Sdk.Buffers;

namespace Spindle.Kernel.Block;

/// <summary>
/// The kernel's block I/O requests: a bounded pool of <see cref="BlockRequest"/>s, each with a buffer of
/// <see cref="MaxSectors"/> sectors, lent to file systems and the buffer cache through <see cref="IBlockRequestPool"/>.
/// Contract: CPU's thread only (a block backend's I/O thread completes a request through an interrupt).
/// </summary>
public sealed class BlockRequestPool : IBlockRequestPool
{
    /// <summary>Sectors per request by default: one 4 KiB page.</summary>
    public const int DefaultMaxSectors = 8;

    /// <summary>Requests lent at once by default.</summary>
    public const int DefaultCapacity = 64;

    private readonly BoundedPool<BlockBuffer> _pool;

    /// <summary>A pool of at most <paramref name="capacity"/> requests of up to <paramref name="maxSectors"/> sectors, made as first needed.</summary>
    public BlockRequestPool(int capacity = DefaultCapacity, int maxSectors = DefaultMaxSectors)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSectors);
        MaxSectors = maxSectors;
        _pool = new BoundedPool<BlockBuffer>(capacity, () => new BlockBuffer(maxSectors * BlockRequest.SectorSize));
    }

    public int MaxSectors { get; }

    public int Capacity => _pool.Capacity;

    public int InUse => _pool.InUse;

    public bool TryAllocate(BlockOperation operation, int device, ulong sector, int count, out BlockRequest request)
    {
        int min = operation == BlockOperation.Flush ? 0 : 1, max = operation == BlockOperation.Flush ? 0 : MaxSectors;
        if (count < min || count > max) throw new BufferRangeException($"TryAllocate: {count} sectors for a {operation} (allowed {min}..{max})");
        var b = _pool.Lend();
        if (b == null) { request = default; return false; }
        b.Operation = operation;
        b.Device = device;
        b.Sector = sector;
        b.Count = count;
        b.Status = BlockRequest.Pending;
        b.Storage.AsSpan(0, count * BlockRequest.SectorSize).Clear();
        request = new BlockRequest(b);
        return true;
    }

    public void Free(BlockRequest request) => _pool.Return(request.Buffer("Free"));
}
