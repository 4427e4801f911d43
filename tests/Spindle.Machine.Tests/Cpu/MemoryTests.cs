using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

public class MemoryTests
{
    private const ulong D = TestMachine.Data;

    [Theory, EachEngine]
    public void LoadsOfEveryWidthExtendCorrectly(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke64(D + 8, 0x8182_8384_8586_8788);
        m.X(5) = D + 8;
        m.RunToBreak(new Snippet().I(Load(0, 10, 5, 0), Load(1, 11, 5, 0), Load(2, 12, 5, 0), Load(3, 13, 5, 0),
                                     Load(4, 14, 5, 0), Load(5, 15, 5, 0), Load(6, 16, 5, 0), Load(0, 17, 5, 7)));
        Assert.Equal(0xFFFF_FFFF_FFFF_FF88, m.X(10));
        Assert.Equal(0xFFFF_FFFF_FFFF_8788, m.X(11));
        Assert.Equal(0xFFFF_FFFF_8586_8788, m.X(12));
        Assert.Equal(0x8182_8384_8586_8788, m.X(13));
        Assert.Equal(0x88UL, m.X(14));
        Assert.Equal(0x8788UL, m.X(15));
        Assert.Equal(0x8586_8788UL, m.X(16));
        Assert.Equal(0xFFFF_FFFF_FFFF_FF81, m.X(17));
    }

    [Theory, EachEngine]
    public void StoresOfEveryWidth(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = D;
        m.X(6) = 0x1122_3344_5566_7788;
        m.RunToBreak(new Snippet().I(Store(0, 5, 6, 0), Store(1, 5, 6, 8), Store(2, 5, 6, 16), Store(3, 5, 6, 24)));
        Assert.Equal(0x88UL, m.Peek64(D));
        Assert.Equal(0x7788UL, m.Peek64(D + 8));
        Assert.Equal(0x5566_7788UL, m.Peek64(D + 16));
        Assert.Equal(0x1122_3344_5566_7788UL, m.Peek64(D + 24));
    }

    [Theory]
    [EachEngine(1)]
    [EachEngine(3)]
    [EachEngine(4093)]  // crosses into the next page
    [EachEngine(4095)]
    public void MisalignedAndPageCrossingAccesses(string engine, int offset)
    {
        using var m = new TestMachine(engine);
        ulong va = D + (ulong)offset;
        m.X(5) = va;
        m.X(6) = 0x0102_0304_0506_0708;
        m.RunToBreak(new Snippet().I(Sd(6, 5, 0), Ld(7, 5, 0), Load(2, 8, 5, 0), Load(1, 9, 5, 0), Store(2, 5, 0, 0)));
        Assert.Equal(0x0102_0304_0506_0708UL, m.X(7));
        Assert.Equal(0x0506_0708UL, m.X(8));
        Assert.Equal(0x0708UL, m.X(9));
        Assert.Equal(0x0102_0304_0000_0000UL, m.Peek64(va));
    }

    [Theory, EachEngine]
    public void PageFaultIsPreciseAndRunResumesAfterMapping(string engine)
    {
        using var m = new TestMachine(engine);
        const ulong hole = 0x80000;
        m.X(5) = hole + 16;
        m.X(7) = 99;
        m.Hart.Registers.Pc = TestMachine.Code;
        m.Poke(TestMachine.Code, new Snippet().I(Addi(6, 0, 1), Ld(7, 5, 0), Addi(6, 6, 1), Ebreak()).ToArray());
        Trap t = m.Hart.Run(100);
        Assert.Equal(TrapCause.PageFault, t.Cause);
        Assert.Equal(AccessKind.Read, t.Access);
        Assert.Equal(hole + 16, t.Address);
        Assert.Equal(TestMachine.Code + 4, t.Pc);
        Assert.Equal(TestMachine.Code + 4, m.Hart.Registers.Pc);
        Assert.Equal(99UL, m.X(7));
        Assert.Equal(1UL, m.Hart.InstructionsRetired);

        m.Map(hole, PageRights.ReadWrite);
        m.Poke64(hole + 16, 1234);
        t = m.Hart.Run(100);
        Assert.Equal(TrapCause.Breakpoint, t.Cause);
        Assert.Equal(1234UL, m.X(7));
        Assert.Equal(2UL, m.X(6));
        Assert.Equal(3UL, m.Hart.InstructionsRetired);
    }

    [Theory, EachEngine]
    public void StoreToReadOnlyPageFaultsWithWriteAccessAndWritesNothing(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = TestMachine.Code + 0x1000 - 4;   // crosses from the RX code page... into another RX page
        m.X(6) = ulong.MaxValue;
        Trap t = m.Step(Sd(6, 5, 0));
        Assert.Equal(TrapCause.PageFault, t.Cause);
        Assert.Equal(AccessKind.Write, t.Access);
        Assert.Equal(new byte[8], m.Peek(TestMachine.Code + 0x1000 - 4, 8));
    }

    [Theory, EachEngine]
    public void PageCrossingStoreFaultOnSecondPageWritesNothing(string engine)
    {
        using var m = new TestMachine(engine);
        ulong last = D + 4 * 4096 - 4;             // the data region's last page is followed by a hole
        m.X(5) = last;
        m.X(6) = ulong.MaxValue;
        Trap t = m.Step(Sd(6, 5, 0));
        Assert.Equal(TrapCause.PageFault, t.Cause);
        Assert.Equal(D + 4 * 4096, t.Address);
        Assert.Equal(new byte[4], m.Peek(last, 4));
    }

    [Theory, EachEngine]
    public void FillSetsAccessedAndDirtyOnlyOnWrite(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = D;
        m.X(6) = D + 4096;
        m.RunToBreak(new Snippet().I(Ld(7, 5, 0), Sd(7, 6, 0)));
        Assert.True(m.Table.TryGet(D, out var read));
        Assert.True(read.Accessed);
        Assert.False(read.Dirty);
        Assert.True(m.Table.TryGet(D + 4096, out var written));
        Assert.True(written.Accessed && written.Dirty);
    }

    [Theory, EachEngine]
    public void WriteAfterReadFillStillMarksDirty(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = D;
        m.RunToBreak(new Snippet().I(Ld(7, 5, 0), Sd(7, 5, 8)));
        Assert.True(m.Table.TryGet(D, out var e));
        Assert.True(e.Dirty);
    }

    [Theory, EachEngine]
    public void ProtectBetweenRunsIsHonoured(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = D;
        m.RunToBreak(new Snippet().I(Sd(5, 5, 0)));
        m.Table.Protect(D, PageRights.Read);
        m.Hart.Registers.Pc = TestMachine.Code;
        Trap t = m.Hart.Run(10);
        Assert.Equal(TrapCause.PageFault, t.Cause);
        Assert.Equal(AccessKind.Write, t.Access);
    }

    [Theory, EachEngine]
    public void SwitchingPageTablesSwitchesAddressSpaces(string engine)
    {
        using var m = new TestMachine(engine);
        var other = new PageTable();
        uint code = m.Map(0x900000, PageRights.ReadExecute);
        other.Map(TestMachine.Code, code, PageRights.ReadExecute);
        m.Memory.Frame(code).Clear();
        m.Poke(TestMachine.Code, new Snippet().I(Addi(10, 0, 1), Ebreak()).ToArray());
        new Snippet().I(Addi(10, 0, 2), Ebreak()).ToArray().CopyTo(m.Memory.Frame(code));
        m.Hart.Run(10);
        Assert.Equal(1UL, m.X(10));
        m.Hart.PageTable = other;
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);
        Assert.Equal(2UL, m.X(10));
    }
}
