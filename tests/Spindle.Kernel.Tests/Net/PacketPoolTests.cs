using System.Buffers.Binary;
using Spindle.Kernel.Net;
using Spindle.Sdk.Buffers;
using Spindle.Sdk.Net;
using Xunit;

namespace Spindle.Kernel.Tests.Net;

public class PacketPoolTests
{
    private const int Headroom = 64;

    [Fact]
    public void SteadyStateCyclesAllocateNothing()
    {
        var pool = new PacketPool(capacity: 4);
        Cycle(pool, 1000);                                   // warm: the pool makes its buffers, the JIT compiles
        int sum = 0;
        Assert.Equal(0, SteadyState.Allocated(() => sum = Cycle(pool, 100_000)));
        Assert.Equal(100_000 * 0x45, sum);
        Assert.Equal(0, pool.InUse);
    }

    // alloc, append a payload, prepend a header, slice the header, free.
    private static int Cycle(PacketPool pool, int n)
    {
        int sum = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.True(pool.TryAllocate(Headroom, out var p));
            p.Append(32)[0] = 1;
            p.Prepend(20)[0] = 0x45;
            sum += p.Slice(0, 20).Span[0];
            pool.Free(p);
        }
        return sum;
    }

    [Fact]
    public void DoubleFreeIsDetected()
    {
        var pool = new PacketPool(capacity: 2);
        Assert.True(pool.TryAllocate(Headroom, out var p));
        var copy = p;
        pool.Free(p);
        var e = Assert.Throws<StaleBufferException>(() => pool.Free(copy));
        Assert.Contains("already returned", e.Message);
        Assert.Equal(0, pool.InUse);
    }

    [Fact]
    public void UseAfterFreeIsDetectedEvenOnceTheBufferIsLentAgain()
    {
        var pool = new PacketPool(capacity: 1);
        Assert.True(pool.TryAllocate(Headroom, out var stale));
        stale.Append(4).Fill(7);
        var view = stale.Slice(0, 4);
        pool.Free(stale);
        Assert.True(pool.TryAllocate(Headroom, out var fresh));   // the same storage, lent again
        fresh.Append(4).Fill(9);
        Assert.Throws<StaleBufferException>(() => stale.Data.Length);
        Assert.Throws<StaleBufferException>(() => stale.Prepend(2));
        Assert.Throws<StaleBufferException>(() => view.Span.Length);
        Assert.Equal(new byte[] { 9, 9, 9, 9 }, fresh.Data.ToArray());   // the stale handles touched nothing
        Assert.Throws<StaleBufferException>(() => pool.Free(stale));
        pool.Free(fresh);
    }

    [Fact]
    public void ExhaustionFailsAndThePoolNeverGrows()
    {
        var pool = new PacketPool(capacity: 3);
        var lent = new Mbuf[3];
        for (int i = 0; i < 3; i++) Assert.True(pool.TryAllocate(0, out lent[i]));
        Assert.False(pool.TryAllocate(0, out var none));
        Assert.True(none.IsNull);
        Assert.Throws<StaleBufferException>(() => none.Length);
        Assert.Equal(3, pool.InUse);
        pool.Free(lent[1]);
        Assert.True(pool.TryAllocate(0, out var again));
        Assert.False(pool.TryAllocate(0, out _));
        pool.Free(again);
        pool.Free(lent[0]);
        pool.Free(lent[2]);
        Assert.Equal(0, pool.InUse);
    }

    [Fact]
    public void HeadersPrependedGoingDownParseGoingUp()
    {
        var pool = new PacketPool();
        Assert.True(pool.TryAllocate(Headroom, out var p));
        "hello"u8.CopyTo(p.Append(5));
        var udp = p.Prepend(8);                                  // UDP: ports, length, checksum
        BinaryPrimitives.WriteUInt16BigEndian(udp, 5353);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 7);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 13);
        var ip = p.Prepend(20);                                  // IPv4, protocol 17
        ip.Clear();
        ip[0] = 0x45;
        ip[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 33);
        p.Append(3);                                             // Ethernet padding
        Assert.Equal(Headroom - 28, p.Headroom);
        Assert.Equal(36, p.Length);

        // Up the stack: each layer reads its header and adjusts it away.
        Assert.Equal(0x45, p.Data[0]);
        Assert.Equal(17, p.Data[9]);
        int total = BinaryPrimitives.ReadUInt16BigEndian(p.Data[2..]);
        p.Trim(p.Length - total);
        p.Adjust(20);
        Assert.Equal(5353, BinaryPrimitives.ReadUInt16BigEndian(p.Data));
        Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(p.Data[2..]));
        p.Adjust(8);
        Assert.Equal("hello"u8.ToArray(), p.Data.ToArray());
        Assert.Equal(Headroom, p.Headroom);
        pool.Free(p);
    }

    [Fact]
    public void SlicesShareTheStorage()
    {
        var pool = new PacketPool();
        Assert.True(pool.TryAllocate(Headroom, out var p));
        p.Append(10);
        var view = p.Slice(4, 6);
        var inner = view.Slice(2, 2);
        inner.Span[0] = 0xab;                                    // writes through to the packet
        Assert.Equal(0xab, p.Data[6]);
        p.Data[7] = 0xcd;                                        // and the other way
        Assert.Equal(0xcd, view.Span[3]);
        Assert.Equal(0xcd, inner.Span[1]);
        p.Adjust(4);                                             // the view stays on its bytes
        Assert.Equal(0xab, view.Span[2]);
        pool.Free(p);
        Assert.Throws<StaleBufferException>(() => inner.Span.Length);
    }

    [Fact]
    public void NoRoomIsAClearErrorAndChangesNothing()
    {
        var pool = new PacketPool(capacity: 1, bufferSize: 64);
        Assert.True(pool.TryAllocate(8, out var p));
        p.Append(50);
        Assert.Throws<BufferRangeException>(() => p.Prepend(9));
        Assert.Throws<BufferRangeException>(() => p.Append(7));
        Assert.Throws<BufferRangeException>(() => p.Adjust(51));
        Assert.Throws<BufferRangeException>(() => p.Slice(40, 11));
        Assert.Throws<BufferRangeException>(() => pool.TryAllocate(65, out _));
        Assert.Equal((8, 50, 6), (p.Headroom, p.Length, p.Tailroom));
        pool.Free(p);
    }

    [Fact]
    public void APacketGoesBackToItsOwnPoolOnly()
    {
        var a = new PacketPool(capacity: 1);
        var b = new PacketPool(capacity: 1);
        Assert.True(a.TryAllocate(0, out var p));
        Assert.Throws<StaleBufferException>(() => b.Free(p));
        Assert.Equal(1, a.InUse);
        a.Free(p);
    }
}
