using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Translation;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Translation;

/// <summary>
/// The known-zero page bit (PageTableEntry.Zero) and AddressSpace.Discard, which skips known-zero pages without
/// touching their frames: every way a page can be written (hart store, AMO, SC, FP store, kernel CopyOut and Poke,
/// MapPrivate, copy-on-write breaks) must clear the bit, so that a discard really zeroes the page afterwards.
/// A kept frame number tells a skipped page from a discarded one.
/// </summary>
public sealed unsafe class ZeroPageTests : IDisposable
{
    private const ulong P = PhysicalMemory.PageSize;
    private const ulong Code = 0x10000, Data = 0x20000;
    private const uint Ebreak = 0x00100073;
    private readonly PhysicalMemory _memory = new(4096);
    private readonly FrameAllocator _frames;

    public ZeroPageTests() => _frames = new FrameAllocator(_memory);
    public void Dispose() => _memory.Dispose();

    private static PageTableEntry Entry(AddressSpace s, ulong va)
    {
        Assert.True(s.PageTable.TryGet(va, out var e));
        return e;
    }

    private static ulong Read64(AddressSpace s, ulong va)
    {
        var b = new byte[8];
        Assert.True(s.CopyIn(va, b));
        return BitConverter.ToUInt64(b);
    }

    private static void AssertAllZero(AddressSpace s, ulong va)
    {
        var page = new byte[P];
        Assert.True(s.CopyIn(va, page));
        Assert.All(page, b => Assert.Equal(0, b));
    }

    // Discards [Data, Data+P) and asserts that the page was replaced (a fresh frame) and now reads as zeros.
    private static void AssertDiscardReplaces(AddressSpace s)
    {
        uint before = Entry(s, Data).Frame;
        Assert.False(Entry(s, Data).Zero);
        Assert.Equal(1, s.Discard(Data, P));
        Assert.NotEqual(before, Entry(s, Data).Frame);
        Assert.True(Entry(s, Data).Zero);
        AssertAllZero(s, Data);
    }

    // A space with `words` (then ebreak) as code at Code and `dataPages` zeroed read-write pages at Data.
    private AddressSpace SpaceRunning(uint[] words, int dataPages = 2)
    {
        var s = new AddressSpace(_frames);
        var code = words.Append(Ebreak).SelectMany(BitConverter.GetBytes).ToArray();
        Assert.True(s.MapPrivate(Code, P, code, PageRights.ReadExecute));
        Assert.True(s.MapAnonymous(Data, (ulong)dataPages * P, PageRights.ReadWrite));
        return s;
    }

    // Runs the code at Code on a hart over `s` with a0 = Data, t0 = a nonzero value, f1 = a nonzero double; expects ebreak.
    private Hart RunToBreak(AddressSpace s, Hart? hart = null)
    {
        hart ??= new Hart(_memory) { PageTable = s.PageTable };
        hart.Registers.Pc = Code;
        hart.Registers.X[10] = Data;
        hart.Registers.X[5] = 0x0102030405060708;
        hart.Registers.F[1] = 0x3ff0000000000000;
        var trap = hart.Run(100);
        Assert.Equal(TrapCause.Breakpoint, trap.Cause);
        return hart;
    }

    [Fact]
    public void NeverWrittenPagesKeepTheirFramesAndCostNoAllocation()
    {
        using var s = new AddressSpace(_frames);
        Assert.True(s.MapAnonymous(Data, 512 * P, PageRights.ReadWrite));
        Assert.True(s.CopyIn(Data + 3 * P, new byte[P]));              // a read does not spoil it
        var frames = Enumerable.Range(0, 512).Select(i => Entry(s, Data + (ulong)i * P).Frame).ToArray();
        uint free = _frames.FreeFrames;

        Assert.Equal(512, s.Discard(Data, 512 * P));

        Assert.Equal(free, _frames.FreeFrames);
        Assert.Equal(frames, Enumerable.Range(0, 512).Select(i => Entry(s, Data + (ulong)i * P).Frame));
    }

    [Theory]
    [InlineData(new uint[] { 0x00553023 }, 0x0102030405060708ul)]              // sd t0, 0(a0)
    [InlineData(new uint[] { 0x00550023 }, 0x08ul)]                            // sb t0, 0(a0)
    [InlineData(new uint[] { 0x00053303, 0x00553023 }, 0x0102030405060708ul)]  // ld t1, 0(a0) (a read fill first); sd
    [InlineData(new uint[] { 0x0055332f }, 0x0102030405060708ul)]              // amoadd.d t1, t0, (a0)
    [InlineData(new uint[] { 0x1005332f, 0x1855332f }, 0x0102030405060708ul)]  // lr.d t1, (a0); sc.d t1, t0, (a0)
    [InlineData(new uint[] { 0x00153027 }, 0x3ff0000000000000ul)]              // fsd f1, 0(a0)
    public void AHartWriteIsNotSkipped(uint[] words, ulong stored)
    {
        using var s = SpaceRunning(words);
        uint untouched = Entry(s, Data + P).Frame;
        RunToBreak(s);
        Assert.Equal(stored, Read64(s, Data));
        AssertDiscardReplaces(s);
        Assert.Equal(untouched, Entry(s, Data + P).Frame);                     // its never-written neighbour is kept
    }

    [Fact]
    public void AHartThatCachedAWritableTranslationWritesTheFreshFrameAfterADiscard()
    {
        using var s = SpaceRunning([0x00553023]);                               // sd t0, 0(a0)
        var hart = RunToBreak(s);                                              // the write tag is now cached
        AssertDiscardReplaces(s);
        RunToBreak(s, hart);                                                   // the same store, after the remap
        Assert.Equal(0x0102030405060708ul, Read64(s, Data));
        AssertDiscardReplaces(s);
    }

    [Fact]
    public void KernelStoresAreNotSkipped()
    {
        using var s = new AddressSpace(_frames);
        Assert.True(s.MapAnonymous(Data, P, PageRights.ReadWrite));
        Assert.True(s.CopyOut(Data + 100, [7]));
        AssertDiscardReplaces(s);
        Assert.True(s.Poke(Data + 200, [8]));
        AssertDiscardReplaces(s);
        Assert.True(s.CopyOut(Data, [0]));                                     // written, even if with a zero
        AssertDiscardReplaces(s);
    }

    [Fact]
    public void MapPrivateContentsAreNotSkippedButThePagesPastThemAre()
    {
        using var s = new AddressSpace(_frames);
        Assert.True(s.MapPrivate(Data, 3 * P, Enumerable.Repeat((byte)5, (int)P + 10).ToArray(), PageRights.Read));
        uint third = Entry(s, Data + 2 * P).Frame;
        Assert.False(Entry(s, Data + P).Zero);
        Assert.Equal(3, s.Discard(Data, 3 * P));
        for (ulong i = 0; i < 3; i++) AssertAllZero(s, Data + i * P);
        Assert.Equal(third, Entry(s, Data + 2 * P).Frame);
        Assert.Equal(PageRights.Read, Entry(s, Data).Rights);
    }

    [Fact]
    public void ACopyOnWriteBreakIsNotSkippedInEitherSpace()
    {
        using var parent = new AddressSpace(_frames);
        Assert.True(parent.MapAnonymous(Data, P, PageRights.ReadWrite));
        using var child = parent.ForkCopyOnWrite();
        Assert.True(Entry(child, Data).Zero);                                  // shares a known-zero frame
        Assert.True(child.CopyOut(Data, [1]));                                 // the child gets a written copy
        AssertDiscardReplaces(child);
        Assert.True(Entry(parent, Data).Zero);                                 // the parent's frame was never written
        Assert.True(parent.CopyOut(Data, [2]));                                // last sharer: it writes the frame itself
        AssertDiscardReplaces(parent);
    }

    [Fact]
    public void AHartWriteThroughACopyOnWriteFaultIsNotSkipped()
    {
        using var parent = SpaceRunning([0x00553023]);                         // sd t0, 0(a0)
        using var child = parent.ForkCopyOnWrite();
        var hart = new Hart(_memory) { PageTable = child.PageTable };
        hart.Registers.Pc = Code;
        hart.Registers.X[10] = Data;
        hart.Registers.X[5] = 9;
        var trap = hart.Run(100);
        Assert.Equal(TrapCause.PageFault, trap.Cause);
        Assert.True(child.TryBreakCopyOnWrite(trap.Address));
        Assert.Equal(TrapCause.Breakpoint, hart.Run(100).Cause);
        AssertDiscardReplaces(child);
        Assert.True(Entry(parent, Data).Zero);
    }

    [Fact]
    public void DiscardingASharedWrittenPageLeavesTheOtherSpacesCopy()
    {
        uint initial = _frames.FreeFrames;
        var parent = new AddressSpace(_frames);
        Assert.True(parent.MapAnonymous(Data, 2 * P, PageRights.ReadWrite));
        Assert.True(parent.CopyOut(Data, [7]));
        var child = parent.ForkCopyOnWrite();
        uint shared = Entry(parent, Data).Frame;

        Assert.Equal(2, child.Discard(Data, 2 * P));

        AssertAllZero(child, Data);
        Assert.Equal(7ul, Read64(parent, Data));
        Assert.Equal(shared, Entry(parent, Data).Frame);
        Assert.Equal(1, _frames.RefCount(shared));                            // the child's reference was dropped
        Assert.Equal(Entry(parent, Data + P).Frame, Entry(child, Data + P).Frame);   // a known-zero page stays shared
        Assert.Equal(PageRights.ReadWrite, child.PageTable.TryGet(Data, out var e) ? e.Granted : PageRights.None);
        child.Dispose();
        parent.Dispose();
        Assert.Equal(initial, _frames.FreeFrames);
    }

    [Fact]
    public void ClearingTheDirtyBitDoesNotMakeAWrittenPageLookZero()
    {
        var dispatcher = new KernelDispatcher();
        var translation = new TranslationService(_frames, new PhysAddrService(_frames, dispatcher), dispatcher);
        var s = (AddressSpace)translation.Create();
        Assert.True(translation.AddAnonymousMapping(s, Data, P, Protection.Read | Protection.Write));
        Assert.True(s.CopyOut(Data, [3]));
        Assert.True(translation.ExamineMapping(s, Data, out var info, clearReferenced: true, clearDirty: true));
        Assert.True(info.Dirty);
        Assert.False(Entry(s, Data).Dirty);
        Assert.True(s.Protect(Data, P, PageRights.Read));                      // nor does changing the rights
        Assert.True(translation.Discard(s, Data, P));
        AssertAllZero(s, Data);
        translation.Destroy(s);
    }

    [Fact]
    public void AFrameCapabilityWrittenThroughPhysAddrIsNotSkipped()
    {
        var dispatcher = new KernelDispatcher();
        var phys = new PhysAddrService(_frames, dispatcher);
        var translation = new TranslationService(_frames, phys, dispatcher);
        var s = (AddressSpace)translation.Create();
        var frame = phys.Allocate(1)!;
        Assert.True(translation.AddMapping(s, Data, frame, Protection.Read | Protection.Write));
        Assert.True(phys.Write(frame[0], 10, [6]));                           // written behind the page table's back
        AssertDiscardReplaces(s);
        var back = new byte[1];
        Assert.True(phys.Read(frame[0], 10, back));
        Assert.Equal(6, back[0]);                                              // the capability keeps its frame
        translation.Destroy(s);
    }

    [Fact]
    public void HolesAreSkippedAndCountedAndBadRangesRefused()
    {
        using var s = new AddressSpace(_frames);
        Assert.True(s.MapAnonymous(Data, P, PageRights.ReadWrite));
        Assert.True(s.MapAnonymous(Data + 3 * P, P, PageRights.ReadWrite));
        Assert.True(s.CopyOut(Data + 3 * P, [1]));
        Assert.Equal(2, s.Discard(Data, 4 * P));
        Assert.False(s.PageTable.TryGet(Data + P, out _));
        AssertAllZero(s, Data + 3 * P);
        Assert.Equal(0, s.Discard(0x4000_0000, PageTable.UserLimit - 0x4000_0000));   // huge and empty: cheap
        Assert.Equal(-1, s.Discard(Data + 1, P));
        Assert.Equal(-1, s.Discard(PageTable.UserLimit, P));
        Assert.Equal(-1, s.Discard(Data, PageTable.UserLimit));
    }

    [Fact]
    public void DiscardFailsCleanlyWhenMemoryIsExhausted()
    {
        using var s = new AddressSpace(_frames);
        Assert.True(s.MapAnonymous(Data, P, PageRights.ReadWrite));
        Assert.True(s.CopyOut(Data, [4]));
        using var hog = new AddressSpace(_frames);
        Assert.True(hog.MapAnonymous(0x100_0000, _frames.FreeFrames * P, PageRights.Read));
        Assert.Equal(-1, s.Discard(Data, P));
        Assert.Equal(4ul, Read64(s, Data));                                    // nothing changed
    }
}
