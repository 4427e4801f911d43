using Spindle.Kernel.Buffers;
using Spindle.Sdk.Buffers;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Net;

/// <summary>
/// The kernel's packet buffers: a bounded pool of <see cref="Mbuf"/> storage blocks, lent to drivers and protocol
/// extensions through <see cref="IMbufPool"/>. Contract: CPU's thread only (a NIC backend's I/O thread hands its
/// frame to the CPU as an interrupt, whose handler copies it into a packet from here).
/// </summary>
public sealed class PacketPool : IMbufPool
{
    /// <summary>Storage per packet: an Ethernet frame (1514) plus headroom for the headers prepended on the way down.</summary>
    public const int DefaultBufferSize = 2048;

    /// <summary>Packets lent at once by default.</summary>
    public const int DefaultCapacity = 1024;

    private readonly BoundedPool<MbufBuffer> _pool;

    /// <summary>A pool of at most <paramref name="capacity"/> packets of <paramref name="bufferSize"/> bytes, made as first needed.</summary>
    public PacketPool(int capacity = DefaultCapacity, int bufferSize = DefaultBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        BufferSize = bufferSize;
        _pool = new BoundedPool<MbufBuffer>(capacity, () => new MbufBuffer(bufferSize));
    }

    public int BufferSize { get; }

    public int Capacity => _pool.Capacity;

    public int InUse => _pool.InUse;

    public bool TryAllocate(int headroom, out Mbuf packet)
    {
        if ((uint)headroom > (uint)BufferSize) throw new BufferRangeException($"TryAllocate: headroom {headroom} outside 0..{BufferSize}");
        var b = _pool.Lend();
        if (b == null) { packet = default; return false; }
        b.Offset = headroom;
        b.Length = 0;
        packet = new Mbuf(b);
        return true;
    }

    public void Free(Mbuf packet) => _pool.Return(packet.Buffer("Free"));
}
