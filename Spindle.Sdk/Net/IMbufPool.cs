namespace Spindle.Sdk.Net;

/// <summary>
/// The kernel's pool of packet buffers as an extension sees it: bounded (when every buffer is lent out,
/// <see cref="TryAllocate"/> fails; the pool never grows past <see cref="Capacity"/>), and reused (a freed
/// buffer is lent again; nothing is allocated per packet once the pool is warm). Call on the CPU's thread.
/// </summary>
public interface IMbufPool
{
    /// <summary>Bytes of storage in each buffer (headroom + data + tailroom).</summary>
    int BufferSize { get; }

    /// <summary>Most buffers the pool lends at once.</summary>
    int Capacity { get; }

    /// <summary>Buffers lent out now.</summary>
    int InUse { get; }

    /// <summary>
    /// Lends an empty packet with <paramref name="headroom"/> bytes free in front of its data (room for the headers
    /// the layers below will prepend). False, and a null handle, when every buffer is lent out.
    /// </summary>
    /// <exception cref="Buffers.BufferRangeException"><paramref name="headroom"/> is negative or past <see cref="BufferSize"/>.</exception>
    bool TryAllocate(int headroom, out Mbuf packet);

    /// <summary>Returns <paramref name="packet"/> to the pool; every copy of the handle, and every view of it, goes stale.</summary>
    /// <exception cref="Buffers.StaleBufferException">The packet was already freed (or belongs to another pool).</exception>
    void Free(Mbuf packet);
}
