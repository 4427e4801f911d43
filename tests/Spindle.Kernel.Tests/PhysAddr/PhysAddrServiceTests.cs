using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Tests.Dispatcher;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;
using Spindle.Sdk.Memory;
using Spindle.Sdk.PhysAddr;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.PhysAddr;

public sealed class PhysAddrServiceTests : IDisposable
{
    private const ulong P = PhysicalMemory.PageSize;
    private readonly PhysicalMemory _memory = new(16);
    private readonly FrameAllocator _frames;
    private readonly KernelDispatcher _dispatcher = new();

    public PhysAddrServiceTests() => _frames = new FrameAllocator(_memory);
    public void Dispose() => _memory.Dispose();

    [Fact]
    public void AllocatedFramesAreActiveZeroedAndReadWritable()
    {
        var phys = new PhysAddrService(_frames, _dispatcher);
        var got = phys.Allocate(3);
        Assert.NotNull(got);
        Assert.Equal(3, got.Count);
        Assert.Equal(13u, phys.FreeFrames);
        var buf = new byte[8];
        Assert.All(got, f => Assert.Equal(FrameState.Active, f.State));
        Assert.True(phys.Write(got[1], 4090, [1, 2, 3, 4, 5, 6]));
        Assert.True(phys.Read(got[1], 4088, buf));
        Assert.Equal(new byte[] { 0, 0, 1, 2, 3, 4, 5, 6 }, buf);
        Assert.False(phys.Read(got[1], 4090, buf));                 // past the page
        Assert.False(phys.Write(got[1], -1, [1]));
        phys.Deallocate(got[1]);
        phys.Deallocate(got[1]);                                     // idempotent
        Assert.Equal(FrameState.Free, got[1].State);
        Assert.False(phys.Read(got[1], 0, buf));
        Assert.Equal(14u, phys.FreeFrames);
    }

    [Fact]
    public void BadRequestsAreRefusedWithoutSideEffects()
    {
        var phys = new PhysAddrService(_frames, _dispatcher);
        Assert.Null(phys.Allocate(0));
        Assert.Null(phys.Allocate(-4));
        Assert.Null(phys.Allocate(17));
        Assert.Null(phys.Allocate(1, (FrameAttributes)0x80));
        var pinned = phys.Allocate(16, FrameAttributes.Pinned)!;
        Assert.Null(phys.Allocate(1));                               // nothing reclaimable: exhausted
        Assert.All(pinned, f => Assert.Equal(FrameState.Active, f.State));
        var other = new PhysAddrService(new FrameAllocator(new PhysicalMemory(1)), new KernelDispatcher());
        other.Deallocate(pinned[0]);                                 // another service's frame: ignored
        Assert.Equal(FrameState.Active, pinned[0].State);
        Assert.False(other.Write(pinned[0], 0, [1]));
    }

    [Fact]
    public void ExhaustionReclaimsTheOldestUnpinnedFrame()
    {
        var phys = new PhysAddrService(_frames, _dispatcher);
        var pinned = phys.Allocate(10, FrameAttributes.Pinned)!;
        var old = phys.Allocate(3)!;
        var young = phys.Allocate(3)!;
        var raised = new List<ReclaimRequest>();
        phys.Reclaim.Raise(default(ReclaimRequest) with { Candidate = old[0] });   // a raise alone takes nothing
        _dispatcher.Install(new TestOwner("watch"), phys.Reclaim, r => { raised.Add(r); return null; });
        var fresh = phys.Allocate(1);
        Assert.NotNull(fresh);
        Assert.Single(raised);
        Assert.Same(old[0], raised[0].Candidate);
        Assert.Equal(0u, raised[0].FreeFrames);
        Assert.Equal(FrameState.Reclaimed, old[0].State);            // null answer: the candidate goes
        Assert.All(pinned, f => Assert.Equal(FrameState.Active, f.State));
        Assert.False(phys.Read(old[0], 0, new byte[1]));
        Assert.Equal(1, phys.Reclaimed);
    }

    [Fact]
    public void AReclaimHandlerChoosesTheVictim()
    {
        var phys = new PhysAddrService(_frames, _dispatcher);
        var frames = phys.Allocate(16)!;
        PhysFrame precious = frames[0], expendable = frames[9];
        _dispatcher.Install(new TestOwner("cache"), phys.Reclaim, r => r.Candidate == precious ? expendable : null);
        Assert.NotNull(phys.Allocate(1));
        Assert.Equal(FrameState.Active, precious.State);
        Assert.Equal(FrameState.Reclaimed, expendable.State);
        Assert.All(frames.Where(f => f != expendable), f => Assert.Equal(FrameState.Active, f.State));
    }

    [Fact]
    public void AnInvalidVictimFallsBackToTheCandidate()
    {
        var phys = new PhysAddrService(_frames, _dispatcher);
        var pinned = phys.Allocate(1, FrameAttributes.Pinned)!;
        var frames = phys.Allocate(15)!;
        _dispatcher.Install(new TestOwner("liar"), phys.Reclaim, _ => pinned[0]);
        Assert.NotNull(phys.Allocate(1));
        Assert.Equal(FrameState.Active, pinned[0].State);
        Assert.Equal(FrameState.Reclaimed, frames[0].State);
    }

    [Fact]
    public void LowWaterMarkReclaimsBeforeExhaustion()
    {
        var phys = new PhysAddrService(_frames, _dispatcher, lowWater: 4);
        var frames = phys.Allocate(11)!;                             // 5 free: above the mark
        Assert.All(frames, f => Assert.Equal(FrameState.Active, f.State));
        Assert.NotNull(phys.Allocate(1));                            // 4 free: at the mark, one reclaimed
        Assert.Equal(FrameState.Reclaimed, frames[0].State);
        Assert.Equal(5u, phys.FreeFrames);
    }

    [Fact]
    public void SharedFramesAreFreedByTheLastReference()
    {
        var phys = new PhysAddrService(_frames, _dispatcher);
        var translation = new TranslationService(_frames, phys, _dispatcher);
        var frame = phys.Allocate(1, FrameAttributes.Pinned)!;
        var a = translation.Create();
        var b = translation.Create();
        Assert.True(translation.AddMapping(a, 0x10000, frame, Protection.Read | Protection.Write));
        Assert.True(translation.AddMapping(b, 0x20000, frame, Protection.Read));
        Assert.True(phys.Write(frame[0], 0, [42]));
        var buf = new byte[1];
        Assert.True(((AddressSpace)b).CopyIn(0x20000, buf));
        Assert.Equal(42, buf[0]);
        Assert.True(((AddressSpace)a).CopyOut(0x10000, [43]));      // shared, not copy-on-write
        Assert.True(phys.Read(frame[0], 0, buf));
        Assert.Equal(43, buf[0]);
        phys.Deallocate(frame[0]);
        Assert.Equal(15u, phys.FreeFrames);                          // still mapped twice
        translation.Destroy(a);
        Assert.Equal(15u, phys.FreeFrames);
        translation.Destroy(b);
        Assert.Equal(16u, phys.FreeFrames);
    }

    [Fact]
    public void ReclaimingAMappedFrameUnmapsIt()
    {
        var phys = new PhysAddrService(_frames, _dispatcher);
        var translation = new TranslationService(_frames, phys, _dispatcher);
        var ctx = translation.Create();
        var frames = phys.Allocate(16)!;
        Assert.True(translation.AddMapping(ctx, 0x40000, [frames[0], frames[1]], Protection.Read));
        Assert.NotNull(phys.Allocate(1));                            // frames[0] is the oldest
        Assert.Equal(FrameState.Reclaimed, frames[0].State);
        Assert.False(translation.ExamineMapping(ctx, 0x40000, out _));
        Assert.True(translation.ExamineMapping(ctx, 0x41000, out _));
        Assert.False(translation.AddMapping(ctx, 0x50000, [frames[0]], Protection.Read));
    }
}
