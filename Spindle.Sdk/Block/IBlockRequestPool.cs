namespace Spindle.Sdk.Block;

/// <summary>
/// The kernel's pool of block I/O requests as an extension sees it: bounded (when every request is lent out,
/// <see cref="TryAllocate"/> fails; the pool never grows past <see cref="Capacity"/>) and reused (nothing is
/// allocated per request once the pool is warm). Call on the CPU's thread.
/// </summary>
public interface IBlockRequestPool
{
    /// <summary>Most sectors one request carries (its buffer is this many sectors long).</summary>
    int MaxSectors { get; }

    /// <summary>Most requests the pool lends at once.</summary>
    int Capacity { get; }

    /// <summary>Requests lent out now.</summary>
    int InUse { get; }

    /// <summary>
    /// Lends a pending request to do <paramref name="operation"/> on <paramref name="count"/> sectors of
    /// <paramref name="device"/> from <paramref name="sector"/>, its data zeroed. False, and a null handle, when every
    /// request is lent out.
    /// </summary>
    /// <exception cref="Buffers.BufferRangeException"><paramref name="count"/> is not 1..<see cref="MaxSectors"/> (0 for a flush).</exception>
    bool TryAllocate(BlockOperation operation, int device, ulong sector, int count, out BlockRequest request);

    /// <summary>Returns <paramref name="request"/> to the pool; every copy of the handle goes stale.</summary>
    /// <exception cref="Buffers.StaleBufferException">The request was already freed (or belongs to another pool).</exception>
    void Free(BlockRequest request);
}
