using Spindle.Machine.Memory;

namespace Spindle.Machine.Tests.Memory;

// The page table's range protection and its change log.
public class PageTableTests
{
    private const ulong P = PhysicalMemory.PageSize, Base = 0x40_0000;

    private static PageTable WithPages(ulong first, int count, PageRights rights)
    {
        var t = new PageTable();
        for (int i = 0; i < count; i++) t.Map(first + (ulong)i * P, (uint)(i + 1), rights);
        return t;
    }

    [Fact]
    public void ProtectRangeChangesEveryPageAcrossLeavesAndLogsOneChange()
    {
        ulong start = Base - 3 * P;                 // straddles a 512-page leaf boundary
        var t = WithPages(start, 6, PageRights.ReadWrite);
        long before = t.Generation;
        Assert.True(t.ProtectRange(start, start + 6 * P, PageRights.Read));
        Assert.Equal(before + 1, t.Generation);
        for (int i = 0; i < 6; i++)
        {
            Assert.True(t.TryGet(start + (ulong)i * P, out var e));
            Assert.Equal(PageRights.Read, e.Rights);
        }
        Assert.True(t.TryGetChange(t.Generation, out ulong s, out ulong end));
        Assert.Equal((start, start + 6 * P), (s, end));
    }

    [Fact]
    public void ProtectRangeWithAHoleChangesNothing()
    {
        var t = WithPages(Base, 4, PageRights.ReadWrite);
        t.Unmap(Base + 2 * P, out _);
        long before = t.Generation;
        Assert.False(t.ProtectRange(Base, Base + 4 * P, PageRights.Read));
        Assert.False(t.ProtectRange(Base + 4 * P, Base + 600 * P, PageRights.Read), "absent leaf");
        Assert.Equal(before, t.Generation);
        Assert.True(t.TryGet(Base, out var e));
        Assert.Equal(PageRights.ReadWrite, e.Rights);
    }

    [Theory]
    [InlineData(Base + 1, Base + P)]
    [InlineData(Base + P, Base)]
    [InlineData(Base, PageTable.UserLimit + P)]
    public void ProtectRangeRefusesBadRanges(ulong va, ulong end)
    {
        var t = WithPages(Base, 1, PageRights.ReadWrite);
        Assert.False(t.ProtectRange(va, end, PageRights.Read));
    }

    [Fact]
    public void ProtectRangeKeepsCopyOnWriteDeferringTheWrite()
    {
        var t = new PageTable();
        t.Map(Base, 1, PageRights.Read, copyOnWrite: true);
        Assert.True(t.ProtectRange(Base, Base + P, PageRights.ReadWrite));
        Assert.True(t.TryGet(Base, out var e));
        Assert.True(e.CopyOnWrite && e.DeferredWrite);
        Assert.Equal(PageRights.Read, e.Rights);
        Assert.Equal(PageRights.ReadWrite, e.Granted);
    }

    [Fact]
    public void ChangeLogRemembersTheLatestChangesOnly()
    {
        var t = WithPages(Base, 1, PageRights.ReadWrite);
        long first = t.Generation;
        Assert.True(t.TryGetChange(first, out ulong s, out ulong e));
        Assert.Equal((Base, Base + P), (s, e));
        Assert.True(t.ClearAccessedDirty(Base + 5, accessed: false, dirty: true));
        Assert.True(t.TryGetChange(t.Generation, out s, out e));
        Assert.Equal((Base, Base + P), (s, e));
        for (int i = 0; i < PageTable.ChangeLogLength; i++) t.Protect(Base, PageRights.Read);
        Assert.False(t.TryGetChange(first, out _, out _), "older than the log");
        Assert.False(t.TryGetChange(t.Generation + 1, out _, out _), "not made yet");
        Assert.False(t.TryGetChange(0, out _, out _));
        Assert.True(t.TryGetChange(t.Generation - PageTable.ChangeLogLength + 1, out _, out _));
    }

    [Theory]
    [InlineData(1UL << 21)]     // the next leaf
    [InlineData(1UL << 30)]     // same leaf index under another level-2 node
    [InlineData(1UL << 39)]     // same indices under another root entry
    public void WalksAlternatingBetweenLeavesSeeEachLeafsOwnEntries(ulong distance)
    {
        var t = new PageTable();
        t.Map(Base, 7, PageRights.Read);
        Assert.False(t.TryGet(Base + distance, out _), "the other leaf is absent");
        t.Map(Base + distance, 9, PageRights.ReadWrite);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(t.TryGet(Base, out var a));
            Assert.True(t.TryGet(Base + distance, out var b));
            Assert.Equal((7u, 9u), (a.Frame, b.Frame));
        }
        Assert.False(t.TryGet(Base + distance + P, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Walk(PageTable.UserLimit, create: false));
    }
}
