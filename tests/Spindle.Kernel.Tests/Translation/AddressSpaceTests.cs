using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.Translation;

public sealed class AddressSpaceTests : IDisposable
{
    private const ulong P = PhysicalMemory.PageSize;
    private const ulong Base = 0x10000;
    private readonly PhysicalMemory _memory = new(64);
    private readonly FrameAllocator _frames;
    private readonly AddressSpace _space;

    public AddressSpaceTests()
    {
        _frames = new FrameAllocator(_memory);
        _space = new AddressSpace(_frames);
    }

    public void Dispose() { _space.Dispose(); _memory.Dispose(); }

    private static byte[] Pattern(int n, int seed = 1) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 + seed)).ToArray();

    [Fact]
    public void MapAnonymousGivesZeroedPagesWithTheirRights()
    {
        Assert.True(_space.MapAnonymous(Base, 3 * P, PageRights.ReadWrite));
        Assert.Equal(61u, _frames.FreeFrames);
        Assert.True(_space.IsMapped(Base, 3 * P));
        Assert.False(_space.IsMapped(Base, 3 * P + 1));
        var buf = new byte[3 * P];
        Assert.True(_space.CopyIn(Base, buf));
        Assert.All(buf, b => Assert.Equal(0, b));
        Assert.True(_space.PageTable.TryGet(Base + P, out var e));
        Assert.Equal(PageRights.ReadWrite, e.Rights);
    }

    [Fact]
    public void MapAnonymousRoundsLengthUpAndRefusesBadRanges()
    {
        Assert.True(_space.MapAnonymous(Base, 1, PageRights.Read));
        Assert.Equal(1, _space.PageTable.PresentPages);
        Assert.False(_space.MapAnonymous(Base + 1, P, PageRights.Read), "unaligned va");
        Assert.False(_space.MapAnonymous(Base, 0, PageRights.Read), "empty");
        Assert.False(_space.MapAnonymous(PageTable.UserLimit, P, PageRights.Read), "at the limit");
        Assert.False(_space.MapAnonymous(PageTable.UserLimit - P, 2 * P, PageRights.Read), "crossing the limit");
        Assert.False(_space.MapAnonymous(Base, ulong.MaxValue - P, PageRights.Read), "wrapping");
        Assert.True(_space.MapAnonymous(PageTable.UserLimit - P, P, PageRights.Read), "last user page");
        Assert.Equal(2, _space.PageTable.PresentPages);
    }

    [Fact]
    public void MapAnonymousReplacesAndFreesOldPages()
    {
        Assert.True(_space.MapAnonymous(Base, 2 * P, PageRights.ReadWrite));
        Assert.True(_space.CopyOut(Base, Pattern(2 * (int)P)));
        Assert.True(_space.MapAnonymous(Base + P, 2 * P, PageRights.Read));
        Assert.Equal(64u - 3, _frames.FreeFrames);
        var buf = new byte[2 * P];
        Assert.True(_space.CopyIn(Base + P, buf));
        Assert.All(buf, b => Assert.Equal(0, b));
        Assert.True(_space.CopyIn(Base, buf.AsSpan(0, (int)P)));
        Assert.Equal(Pattern(2 * (int)P).AsSpan(0, (int)P).ToArray(), buf.AsSpan(0, (int)P).ToArray());
    }

    [Fact]
    public void OutOfMemoryChangesNothing()
    {
        Assert.True(_space.MapAnonymous(Base, 60 * P, PageRights.ReadWrite));
        Assert.True(_space.CopyOut(Base, Pattern(10)));
        Assert.False(_space.MapAnonymous(Base + 100 * P, 5 * P, PageRights.ReadWrite));
        Assert.False(_space.MapAnonymous(Base, 61 * P, PageRights.Read), "replacement needs fresh frames too");
        Assert.Equal(4u, _frames.FreeFrames);
        Assert.Equal(60, _space.PageTable.PresentPages);
        var buf = new byte[10];
        Assert.True(_space.CopyIn(Base, buf));
        Assert.Equal(Pattern(10), buf);
        Assert.False(_space.MapAnonymous(Base, 1UL << 40, PageRights.Read), "absurd length");
    }

    [Fact]
    public void UnmapFreesFramesAndSkipsHoles()
    {
        Assert.True(_space.MapAnonymous(Base, P, PageRights.Read));
        Assert.True(_space.MapAnonymous(Base + 2 * P, P, PageRights.Read));
        _space.Unmap(Base, 4 * P);
        Assert.Equal(64u, _frames.FreeFrames);
        Assert.Equal(0, _space.PageTable.PresentPages);
        Assert.Throws<ArgumentOutOfRangeException>(() => _space.Unmap(Base + 1, P));
    }

    [Fact]
    public void HugeSparseUnmapVisitsOnlyMappedPages()
    {
        Assert.True(_space.MapAnonymous(Base, P, PageRights.Read));
        Assert.True(_space.MapAnonymous(1UL << 40, P, PageRights.Read));
        Assert.True(_space.MapAnonymous(1UL << 20, P, PageRights.Read));
        _space.Unmap(1UL << 12, (1UL << 40) - (1UL << 12)); // covers the first two, not the one at 2^40
        Assert.Equal(1, _space.PageTable.PresentPages);
        Assert.True(_space.IsMapped(1UL << 40, 1));
        Assert.Equal(63u, _frames.FreeFrames);
    }

    // munmap over a huge, mostly empty range walks the page table's populated nodes in the range only: no list of
    // the table's pages, no closure, no visit of the pages outside it (the walk used to gather every present page
    // of the whole table into a list first). Measured by allocation, which does not depend on timing.
    [Fact]
    public void HugeSparseUnmapAllocatesNothingAndLeavesPagesOutsideTheRange()
    {
        const ulong Outside = 1UL << 44;
        Assert.True(_space.MapAnonymous(Outside, 40 * P, PageRights.ReadWrite));    // present, outside the range
        void MapSparse()
        {
            for (int i = 0; i < 8; i++) Assert.True(_space.MapAnonymous(((ulong)i << 36) + Base, P, PageRights.Read));
        }
        MapSparse();
        _space.Unmap(0, 1UL << 40);                   // warm up (JIT) on the same shape
        MapSparse();
        long before = GC.GetAllocatedBytesForCurrentThread();
        _space.Unmap(0, 1UL << 40);                   // 2^28 pages, 8 present
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(40, _space.PageTable.PresentPages);
        Assert.True(_space.IsMapped(Outside, 40 * P));
        Assert.Equal(24u, _frames.FreeFrames);
    }

    [Fact]
    public void PresentPagesInFindsEachPresentPageOnceWhileTheCallerUnmapsThem()
    {
        ulong[] pages = [Base, Base + P, 1UL << 30, (1UL << 39) + 5 * P, (1UL << 46) - P];
        foreach (ulong page in pages) Assert.True(_space.MapAnonymous(page, P, PageRights.Read));
        var seen = new List<ulong>();
        foreach (ulong page in _space.PageTable.PresentPagesIn(Base + P, 1UL << 46))
        {
            seen.Add(page);
            Assert.True(_space.PageTable.Unmap(page, out uint frame));
            _frames.Free(frame);
        }
        Assert.Equal(pages[1..], seen);
        Assert.Equal(1, _space.PageTable.PresentPages);
    }

    [Fact]
    public void ProtectChangesRightsOrNothing()
    {
        Assert.True(_space.MapAnonymous(Base, 2 * P, PageRights.ReadWrite));
        Assert.False(_space.Protect(Base, 3 * P, PageRights.Read), "third page unmapped");
        Assert.True(_space.CopyOut(Base + P, new byte[] { 1 }), "rights must be unchanged after a failed Protect");
        Assert.True(_space.Protect(Base, 2 * P, PageRights.Read));
        Assert.False(_space.CopyOut(Base + P, new byte[] { 1 }));
        Assert.True(_space.Protect(Base, P, PageRights.None));
        Assert.False(_space.CopyIn(Base, new byte[1]));
        Assert.False(_space.Protect(Base + 5, P, PageRights.Read), "unaligned");
    }

    [Fact]
    public void CopiesCrossPageBoundariesAtAnyAlignment()
    {
        Assert.True(_space.MapAnonymous(Base, 3 * P, PageRights.ReadWrite));
        byte[] data = Pattern((int)P + 100, seed: 3);
        ulong va = Base + P - 37;
        Assert.True(_space.CopyOut(va, data));
        var back = new byte[data.Length];
        Assert.True(_space.CopyIn(va, back));
        Assert.Equal(data, back);
        // The bytes landed in the right frames, in order.
        Assert.True(_space.PageTable.TryGet(Base + P, out var e));
        Assert.Equal(data[37], _memory.Frame(e.Frame)[0]);
        Assert.True(e.Dirty && e.Accessed);
    }

    [Fact]
    public void PartiallyMappedRangesFault()
    {
        Assert.True(_space.MapAnonymous(Base, P, PageRights.ReadWrite));
        Assert.False(_space.CopyIn(Base + P - 4, new byte[8]));
        Assert.False(_space.CopyOut(Base + P - 4, new byte[8]));
        Assert.False(_space.Poke(Base + P - 4, new byte[8]));
        Assert.False(_space.CopyIn(Base - 4, new byte[8]));
        Assert.False(_space.CopyIn(0, new byte[1]), "null page");
        Assert.True(_space.CopyIn(Base + P - 4, new byte[4]));
        Assert.True(_space.CopyIn(Base + P, Span<byte>.Empty), "empty copy touches nothing");
    }

    [Fact]
    public void AddressesAboveUserLimitFault()
    {
        Assert.True(_space.MapAnonymous(PageTable.UserLimit - P, P, PageRights.ReadWrite));
        Assert.False(_space.CopyIn(PageTable.UserLimit - 2, new byte[4]));
        Assert.False(_space.CopyOut(PageTable.UserLimit, new byte[1]));
        Assert.False(_space.CopyIn(ulong.MaxValue, new byte[1]));
        Assert.Equal(-1, _space.ReadCString(ulong.MaxValue - 3, new byte[8], 8));
        Assert.False(_space.IsMapped(PageTable.UserLimit - P, 2 * P));
        Assert.True(_space.CopyOut(PageTable.UserLimit - 2, new byte[2]));
    }

    [Fact]
    public void CopiesHonourRightsAndPokeIgnoresThem()
    {
        Assert.True(_space.MapAnonymous(Base, P, PageRights.Read));
        Assert.True(_space.MapAnonymous(Base + P, P, PageRights.Execute));
        Assert.False(_space.CopyOut(Base, new byte[] { 9 }), "read-only page");
        Assert.False(_space.CopyIn(Base + P, new byte[1]), "execute-only page");
        Assert.True(_space.Poke(Base + P - 1, new byte[] { 5, 6 }));
        var b = new byte[1];
        Assert.True(_space.CopyIn(Base + P - 1, b));
        Assert.Equal(5, b[0]);
        Assert.True(_space.PageTable.TryGet(Base + P, out var e));
        Assert.Equal(6, _memory.Frame(e.Frame)[0]);
        Assert.True(_space.Protect(Base, P, PageRights.Write));
        Assert.False(_space.CopyIn(Base, b), "write-only page is not readable");
    }

    [Fact]
    public void ReadCStringStopsAtNulLimitOrFault()
    {
        Assert.True(_space.MapAnonymous(Base, P, PageRights.ReadWrite));
        Assert.True(_space.MapAnonymous(Base + P, P, PageRights.ReadWrite));
        byte[] hello = "hello\0"u8.ToArray();
        ulong va = Base + P - 3; // "hel" | "lo\0" across the boundary
        Assert.True(_space.CopyOut(va, hello));
        var dest = new byte[16];
        Assert.Equal(5, _space.ReadCString(va, dest, 16));
        Assert.Equal("hello"u8.ToArray(), dest[..5]);
        Assert.Equal(5, _space.ReadCString(va, dest, 5));
        Assert.Equal(-2, _space.ReadCString(va, dest, 4));
        Assert.Equal(0, _space.ReadCString(va + 5, dest, 0));
        Assert.Equal(-2, _space.ReadCString(va, dest, 0));
        // No NUL before the end of the mapping: fault.
        Assert.True(_space.CopyOut(Base + 2 * P - 4, "abcd"u8));
        Assert.Equal(-1, _space.ReadCString(Base + 2 * P - 4, dest, 16));
        Assert.Equal(-2, _space.ReadCString(Base + 2 * P - 4, dest, 3));
        Assert.True(_space.Protect(Base, P, PageRights.None));
        Assert.Equal(-1, _space.ReadCString(va, dest, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => _space.ReadCString(va, dest, 17));
    }

    [Fact]
    public void FindFreeReturnsLowestHoleAboveHint()
    {
        Assert.True(_space.MapAnonymous(Base, 2 * P, PageRights.Read));
        Assert.True(_space.MapAnonymous(Base + 3 * P, P, PageRights.Read));
        Assert.Equal(Base + 2 * P, _space.FindFree(P, Base, 1UL << 30));
        Assert.Equal(Base + 4 * P, _space.FindFree(2 * P, Base, 1UL << 30));
        Assert.Equal(Base + 4 * P, _space.FindFree(P + 1, Base + 1, 1UL << 30));
        Assert.Equal(0UL, _space.FindFree(2 * P, Base, Base + 5 * P));
        Assert.Equal(Base + 4 * P, _space.FindFree(2 * P, Base, Base + 6 * P));
        Assert.Equal(P, _space.FindFree(P, 0, Base));
        Assert.Equal(0UL, _space.FindFree(0, Base, 1UL << 30));
        Assert.Equal(0UL, _space.FindFree(P, 1UL << 50, ulong.MaxValue));
        Assert.Equal(PageTable.UserLimit - P, _space.FindFree(P, PageTable.UserLimit - P, ulong.MaxValue));
    }

    [Fact]
    public void DisposeFreesEveryFrame()
    {
        Assert.True(_space.MapAnonymous(Base, 10 * P, PageRights.ReadWrite));
        Assert.True(_space.MapAnonymous(1UL << 44, 3 * P, PageRights.Read));
        _space.Dispose();
        Assert.Equal(64u, _frames.FreeFrames);
        Assert.Equal(0, _space.PageTable.PresentPages);
        _space.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _space.MapAnonymous(Base, P, PageRights.Read));
    }

    [Fact]
    public void DuplicateCopiesPagesPrivately()
    {
        Assert.True(_space.MapAnonymous(Base, 2 * P, PageRights.ReadWrite));
        Assert.True(_space.MapAnonymous(Base + 8 * P, P, PageRights.ReadExecute));
        Assert.True(_space.CopyOut(Base + P - 2, Pattern(8)));
        using AddressSpace? child = _space.Duplicate();
        Assert.NotNull(child);
        Assert.Equal(64u - 6, _frames.FreeFrames);
        var buf = new byte[8];
        Assert.True(child!.CopyIn(Base + P - 2, buf));
        Assert.Equal(Pattern(8), buf);
        Assert.True(child.CopyOut(Base + P - 2, new byte[8]));
        Assert.True(_space.CopyIn(Base + P - 2, buf));
        Assert.Equal(Pattern(8), buf);
        Assert.True(child.PageTable.TryGet(Base + 8 * P, out var e));
        Assert.Equal(PageRights.ReadExecute, e.Rights);
    }

    [Fact]
    public void DuplicateOutOfMemoryLeavesNothingAllocated()
    {
        Assert.True(_space.MapAnonymous(Base, 40 * P, PageRights.ReadWrite));
        Assert.Null(_space.Duplicate());
        Assert.Equal(24u, _frames.FreeFrames);
    }
}
