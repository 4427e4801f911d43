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

    [Fact]
    public void TheHartsFirstWriteClearsItAndAReadDoesNot()
    {
        using var m = new TestMachine();
        m.Table.Map(D, 40, PageRights.ReadWrite, copyOnWrite: false, zero: true);
        m.Table.Map(D + P, 41, PageRights.ReadWrite, copyOnWrite: false, zero: true);
        m.X(5) = D;
        m.X(6) = D + P;
        m.RunToBreak(new Snippet().I(Ld(7, 5, 0), Ld(7, 6, 0), Sd(6, 6, 8)));   // read both pages, then write the second
        Assert.True(Zero(m.Table, D));
        Assert.False(Zero(m.Table, D + P));
        Assert.True(m.Table.TryGet(D + P, out var e) && e.Dirty);
    }
}
