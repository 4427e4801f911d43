using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

// The hart drops only the TLB entries of pages the page table changed, and everything when it cannot tell.
public class TlbTests
{
    private const ulong D = TestMachine.Data, P = 4096;

    // Stores to D and D+P, filling both pages' TLB entries with write tags.
    private static void TouchBoth(TestMachine m)
    {
        m.X(5) = D;
        m.X(6) = D + P;
        m.RunToBreak(new Snippet().I(Sd(5, 5, 0), Sd(6, 6, 0)));
        Assert.True(m.Hart.Engine.CachesTranslation(D) && m.Hart.Engine.CachesTranslation(D + P));
    }

    // Runs from the code page: a store to x5, then ebreak.
    private static Trap StoreThenBreak(TestMachine m)
    {
        m.Poke(TestMachine.Code, new Snippet().I(Sd(5, 5, 0), Ebreak()).ToArray());
        m.Hart.Registers.Pc = TestMachine.Code;
        return m.Hart.Run(10);
    }

    [Theory, EachEngine]
    public void ProtectingOnePageDropsOnlyItsEntry(string engine)
    {
        using var m = new TestMachine(engine);
        TouchBoth(m);
        m.Table.Protect(D, PageRights.Read);
        Trap t = StoreThenBreak(m);
        Assert.Equal(TrapCause.PageFault, t.Cause);
        Assert.Equal(D, t.Address);
        Assert.True(m.Hart.Engine.CachesTranslation(D + P), "the unchanged page's entry survived");
        m.X(5) = D + P;
        Assert.Equal(TrapCause.Breakpoint, StoreThenBreak(m).Cause);
    }

    [Theory, EachEngine]
    public void ClearingDirtyDropsTheWriteTagSoTheNextWriteSetsItAgain(string engine)
    {
        using var m = new TestMachine(engine);
        TouchBoth(m);
        Assert.True(m.Table.ClearAccessedDirty(D, accessed: true, dirty: true));
        Assert.Equal(TrapCause.Breakpoint, StoreThenBreak(m).Cause);
        Assert.True(m.Table.TryGet(D, out var e));
        Assert.True(e.Accessed && e.Dirty);
    }

    [Theory, EachEngine]
    public void RemappingAPageReachesTheNewFrame(string engine)
    {
        using var m = new TestMachine(engine);
        TouchBoth(m);
        uint fresh = m.Map(D, PageRights.ReadWrite);
        m.X(5) = D;
        Assert.Equal(TrapCause.Breakpoint, StoreThenBreak(m).Cause);
        Assert.Equal(D, BitConverter.ToUInt64(m.Memory.Frame(fresh)[..8]));
    }

    [Theory, EachEngine]
    public void MoreChangesThanTheLogHoldsFlushEverything(string engine)
    {
        using var m = new TestMachine(engine);
        TouchBoth(m);
        m.Table.Protect(D, PageRights.Read);
        for (int i = 0; i < PageTable.ChangeLogLength; i++) m.Table.Protect(D + 2 * P, PageRights.ReadWrite);
        Assert.Equal(TrapCause.PageFault, StoreThenBreak(m).Cause);
        Assert.False(m.Hart.Engine.CachesTranslation(D + P), "a hart too far behind the log flushes");
    }

    [Theory, EachEngine]
    public void ARangeLargerThanTheTlbFlushesEverything(string engine)
    {
        using var m = new TestMachine(engine);
        const ulong Big = 0x1000_0000;
        for (ulong i = 0; i < 1100; i++) m.Table.Map(Big + i * P, 60, PageRights.ReadWrite);
        TouchBoth(m);
        m.X(5) = Big + 1099 * P;
        Assert.Equal(TrapCause.Breakpoint, StoreThenBreak(m).Cause);
        Assert.True(m.Table.ProtectRange(Big, Big + 1100 * P, PageRights.Read));
        Assert.Equal(TrapCause.PageFault, StoreThenBreak(m).Cause);
        Assert.False(m.Hart.Engine.CachesTranslation(D + P));
    }

    // A second table over the same code frames with its own data page at D; returns it.
    private static PageTable OtherSpace(TestMachine m)
    {
        var other = new PageTable();
        for (ulong va = TestMachine.Code; va < TestMachine.Code + 4 * P; va += P)
        {
            Assert.True(m.Table.TryGet(va, out var e));
            other.Map(va, e.Frame, PageRights.ReadExecute);
        }
        other.Map(D, 40, PageRights.ReadWrite);
        return other;
    }

    [Theory, EachEngine]
    public void SwitchingBackToATableKeepsItsTranslationsAndSeesChangesMadeMeanwhile(string engine)
    {
        using var m = new TestMachine(engine);
        TouchBoth(m);
        var other = OtherSpace(m);
        m.Hart.PageTable = other;
        m.X(5) = D;
        Assert.Equal(TrapCause.Breakpoint, StoreThenBreak(m).Cause);
        Assert.Equal(D, BitConverter.ToUInt64(m.Memory.Frame(40)[..8]));
        m.Table.Protect(D, PageRights.Read);      // changed while another table runs

        m.Hart.PageTable = m.Table;
        Assert.True(m.Hart.Engine.CachesTranslation(D + P), "the first table's entries survived the round trip");
        Trap t = StoreThenBreak(m);
        Assert.Equal(TrapCause.PageFault, t.Cause);
        Assert.Equal(D, t.Address);
        m.X(5) = D + P;
        Assert.Equal(TrapCause.Breakpoint, StoreThenBreak(m).Cause);
    }

    [Theory, EachEngine]
    public void MoreTablesThanTlbSetsStillTranslateEachCorrectly(string engine)
    {
        using var m = new TestMachine(engine);
        var tables = Enumerable.Range(0, 6).Select(_ => OtherSpace(m)).ToArray();
        for (int round = 0; round < 3; round++)
            for (int k = 0; k < tables.Length; k++)
            {
                m.Hart.PageTable = tables[k];
                uint frame = (uint)(41 + k + round * tables.Length);      // a new frame for D+P every round
                tables[k].Map(D + P, frame, PageRights.ReadWrite);
                m.X(5) = D + P;
                Assert.Equal(TrapCause.Breakpoint, StoreThenBreak(m).Cause);
                Assert.Equal(D + P, BitConverter.ToUInt64(m.Memory.Frame(frame)[..8]));
            }
    }
}
