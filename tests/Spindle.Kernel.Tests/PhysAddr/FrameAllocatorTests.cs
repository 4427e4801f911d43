using Spindle.Kernel.PhysAddr;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.PhysAddr;

public sealed class FrameAllocatorTests : IDisposable
{
    private readonly PhysicalMemory _memory = new(8);
    public void Dispose() => _memory.Dispose();

    [Fact]
    public void HandsOutEveryFrameOnceThenReportsExhaustion()
    {
        var frames = new FrameAllocator(_memory);
        var seen = new HashSet<uint>();
        for (int i = 0; i < 8; i++)
        {
            Assert.True(frames.TryAllocate(out uint f));
            Assert.True(f < 8);
            Assert.True(seen.Add(f), $"frame {f} handed out twice");
            Assert.True(frames.IsAllocated(f));
        }
        Assert.Equal(0u, frames.FreeFrames);
        Assert.False(frames.TryAllocate(out _));
    }

    [Fact]
    public void FreedFrameComesBackZeroed()
    {
        var frames = new FrameAllocator(_memory);
        Assert.True(frames.TryAllocate(out uint f));
        _memory.Frame(f).Fill(0xAB);
        frames.Free(f);
        Assert.False(frames.IsAllocated(f));
        Assert.Equal(8u, frames.FreeFrames);
        Assert.True(frames.TryAllocate(out uint again));
        Assert.Equal(f, again); // LIFO: the dirty frame is reused first, so zeroing is observable
        Assert.True(_memory.Frame(again).IndexOfAnyExcept((byte)0) < 0, "reallocated frame not zeroed");
    }

    [Fact]
    public void DoubleFreeAndStrayFramesAreKernelErrors()
    {
        var frames = new FrameAllocator(_memory);
        Assert.True(frames.TryAllocate(out uint f));
        frames.Free(f);
        Assert.Throws<InvalidOperationException>(() => frames.Free(f));
        Assert.Throws<InvalidOperationException>(() => frames.Free(8));
        Assert.Equal(8u, frames.FreeFrames);
    }

    [Fact]
    public void ConcurrentAllocationNeverHandsOutAFrameTwice()
    {
        using var memory = new PhysicalMemory(4096);
        var frames = new FrameAllocator(memory);
        var got = new List<uint>[2] { new(), new() };
        Parallel.For(0, 2, t => { while (frames.TryAllocate(out uint f)) got[t].Add(f); });
        Assert.Equal(4096, got[0].Count + got[1].Count);
        Assert.Equal(4096, got[0].Concat(got[1]).Distinct().Count());
    }
}
