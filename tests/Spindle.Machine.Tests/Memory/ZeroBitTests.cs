using Spindle.Machine.Memory;
using Spindle.Machine.Tests.Cpu;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Memory;

// The kernel-private known-zero bit: set only by a Map that asks for it, kept by rights changes and dirty-bit
// clears, dropped by a remap and by the hart's first write to the page.
public class ZeroBitTests
{
    private const ulong D = TestMachine.Data, P = 4096;

    private static bool Zero(PageTable t, ulong va) => t.TryGet(va, out var e) && e.Zero;

    [Fact]
    public void OnlyAMapThatAsksSetsItAndRightsChangesNeverDo()
    {
        var t = new PageTable();
        t.Map(D, 1, PageRights.ReadWrite);
        Assert.False(Zero(t, D));
        t.Map(D, 2, PageRights.ReadWrite, copyOnWrite: false, zero: true);
        Assert.True(Zero(t, D));
        Assert.True(t.Protect(D, PageRights.Read));
        Assert.True(t.Protect(D, PageRights.ReadWrite, copyOnWrite: true));
        Assert.True(t.ProtectRange(D, D + P, PageRights.ReadWrite));
        Assert.True(t.ClearAccessedDirty(D, accessed: true, dirty: true));
        Assert.True(Zero(t, D));                                            // the frame was not written
        t.Map(D, 3, PageRights.ReadWrite);
        Assert.False(Zero(t, D));                                           // a remap does not inherit it
        t.Map(D + P, 4, PageRights.ReadWrite, copyOnWrite: false, zero: true);
        Assert.True(t.ClearAccessedDirty(D + P, accessed: false, dirty: true));
        Assert.True(Zero(t, D + P));
    }

    [Theory, EachEngine]
    public void TheHartsFirstWriteClearsItAndAReadDoesNot(string engine)
    {
        using var m = new TestMachine(engine);
        m.Table.Map(D, 40, PageRights.ReadWrite, copyOnWrite: false, zero: true);
        m.Table.Map(D + P, 41, PageRights.ReadWrite, copyOnWrite: false, zero: true);
        m.X(5) = D;
        m.X(6) = D + P;
        m.RunToBreak(new Snippet().I(Ld(7, 5, 0), Ld(7, 6, 0), Sd(6, 6, 8)));   // read both pages, then write the second
        Assert.True(Zero(m.Table, D));
        Assert.False(Zero(m.Table, D + P));
        Assert.True(m.Table.TryGet(D + P, out var e) && e.Dirty);
    }

    [Fact]
    public void NextPresentNotZeroFindsWrittenPagesAndCountsThePresentOnes()
    {
        var t = new PageTable();
        ulong start = 0x40_0000 - 2 * P;                                    // straddles a 512-page leaf boundary
        for (ulong i = 0; i < 5; i++) t.Map(start + i * P, (uint)(i + 1), PageRights.ReadWrite, copyOnWrite: false, zero: i != 3);
        t.Map(0x80_0000_0000, 9, PageRights.Read);                          // far away, not known-zero
        long present = 0;
        Assert.True(t.NextPresentNotZero(start, start + 5 * P, ref present, out ulong page));
        Assert.Equal(start + 3 * P, page);
        Assert.Equal(4, present);
        Assert.False(t.NextPresentNotZero(page + P, start + 5 * P, ref present, out _));
        Assert.Equal(5, present);
        present = 0;
        Assert.True(t.NextPresentNotZero(start + 4 * P, PageTable.UserLimit, ref present, out page));
        Assert.Equal(0x80_0000_0000ul, page);
        Assert.Equal(2, present);
    }
}
