using Spindle.Kernel.Block;
using Spindle.Sdk.Block;
using Spindle.Sdk.Buffers;
using Spindle.Sdk.Io;
using Xunit;

namespace Spindle.Kernel.Tests.Block;

public class BlockRequestPoolTests
{
    [Fact]
    public void ARequestCarriesItsPlaceDataAndStatus()
    {
        var pool = new BlockRequestPool(capacity: 2, maxSectors: 8);
        Assert.True(pool.TryAllocate(BlockOperation.Write, device: 1, sector: 4096, count: 2, out var r));
        Assert.Equal((BlockOperation.Write, 1, 4096UL, 2), (r.Operation, r.Device, r.Sector, r.Count));
        Assert.Equal(1024, r.Data.Length);
        Assert.False(r.IsComplete);
        Assert.Equal(BlockRequest.Pending, r.Status);
        r.Data.Fill(0x5a);
        r.Complete(-Errno.EIO);
        Assert.True(r.IsComplete);
        Assert.Equal(-Errno.EIO, r.Status);
        Assert.Throws<InvalidOperationException>(() => r.Complete(0));   // once only
        pool.Free(r);

        Assert.True(pool.TryAllocate(BlockOperation.Read, 1, 0, 8, out var again));
        Assert.True(again.Data.IndexOfAnyExcept((byte)0) < 0);          // a new request's data is zeroed
        Assert.True(pool.TryAllocate(BlockOperation.Flush, 1, 0, 0, out var flush));
        Assert.Equal(0, flush.Data.Length);
        pool.Free(again);
        pool.Free(flush);
    }

    [Fact]
    public void DoubleFreeAndUseAfterFreeAreDetected()
    {
        var pool = new BlockRequestPool(capacity: 1);
        Assert.True(pool.TryAllocate(BlockOperation.Read, 0, 7, 1, out var r));
        pool.Free(r);
        Assert.Throws<StaleBufferException>(() => pool.Free(r));
        Assert.Throws<StaleBufferException>(() => r.Data.Length);
        Assert.Throws<StaleBufferException>(() => r.Complete(0));
        Assert.True(pool.TryAllocate(BlockOperation.Read, 0, 9, 1, out var fresh));
        Assert.Throws<StaleBufferException>(() => r.Sector);               // lent again: still stale
        Assert.Equal(9UL, fresh.Sector);
        pool.Free(fresh);
    }

    [Fact]
    public void ExhaustionIsBoundedAndBadCountsAreRefused()
    {
        var pool = new BlockRequestPool(capacity: 2, maxSectors: 4);
        Assert.Throws<BufferRangeException>(() => pool.TryAllocate(BlockOperation.Read, 0, 0, 5, out _));
        Assert.Throws<BufferRangeException>(() => pool.TryAllocate(BlockOperation.Write, 0, 0, 0, out _));
        Assert.Throws<BufferRangeException>(() => pool.TryAllocate(BlockOperation.Flush, 0, 0, 1, out _));
        Assert.True(pool.TryAllocate(BlockOperation.Read, 0, 0, 4, out var a));
        Assert.True(pool.TryAllocate(BlockOperation.Read, 0, 4, 4, out var b));
        Assert.False(pool.TryAllocate(BlockOperation.Read, 0, 8, 4, out var none));
        Assert.True(none.IsNull);
        Assert.Equal(2, pool.InUse);
        pool.Free(a);
        pool.Free(b);
    }

    [Fact]
    public void SteadyStateRequestsAllocateNothing()
    {
        var pool = new BlockRequestPool(capacity: 4);
        Run(pool, 1000);
        Assert.Equal(0, SteadyState.Allocated(() => Run(pool, 100_000)));
    }

    private static void Run(BlockRequestPool pool, int n)
    {
        for (int i = 0; i < n; i++)
        {
            Assert.True(pool.TryAllocate(BlockOperation.Read, 0, (ulong)i, 1, out var r));
            r.Data[0] = 1;
            r.Complete(0);
            pool.Free(r);
        }
    }
}
