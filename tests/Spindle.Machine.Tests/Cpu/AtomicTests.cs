using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

public class AtomicTests
{
    private const ulong D = TestMachine.Data;
    private const int Lr = 2, Sc = 3;

    [Theory]
    // funct5, wide, memory, source, expected memory after
    [EachEngine(0x00, true, 5UL, 7UL, 12UL)]                                   // amoadd.d
    [EachEngine(0x01, true, 5UL, 7UL, 7UL)]                                    // amoswap.d
    [EachEngine(0x04, true, 6UL, 3UL, 5UL)]                                    // amoxor.d
    [EachEngine(0x0C, true, 6UL, 3UL, 2UL)]                                    // amoand.d
    [EachEngine(0x08, true, 6UL, 3UL, 7UL)]                                    // amoor.d
    [EachEngine(0x10, true, ulong.MaxValue, 1UL, ulong.MaxValue)]              // amomin.d (signed)
    [EachEngine(0x14, true, ulong.MaxValue, 1UL, 1UL)]                         // amomax.d
    [EachEngine(0x18, true, ulong.MaxValue, 1UL, 1UL)]                         // amominu.d
    [EachEngine(0x1C, true, ulong.MaxValue, 1UL, ulong.MaxValue)]              // amomaxu.d
    [EachEngine(0x00, false, 0xAAAA_AAAA_FFFF_FFFFUL, 1UL, 0xAAAA_AAAA_0000_0000UL)] // amoadd.w wraps in 32 bits
    [EachEngine(0x01, false, 0xAAAA_AAAA_0000_0005UL, 0x1_0000_0007UL, 0xAAAA_AAAA_0000_0007UL)]
    [EachEngine(0x04, false, 6UL, 3UL, 5UL)]
    [EachEngine(0x0C, false, 6UL, 3UL, 2UL)]
    [EachEngine(0x08, false, 6UL, 3UL, 7UL)]
    [EachEngine(0x10, false, 0xFFFF_FFFFUL, 1UL, 0xFFFF_FFFFUL)]               // amomin.w: -1 < 1
    [EachEngine(0x14, false, 0xFFFF_FFFFUL, 1UL, 1UL)]
    [EachEngine(0x18, false, 0xFFFF_FFFFUL, 1UL, 1UL)]
    [EachEngine(0x1C, false, 0xFFFF_FFFFUL, 1UL, 0xFFFF_FFFFUL)]
    public void AmoReturnsOldValueAndUpdatesMemory(string engine, int f5, bool wide, ulong mem, ulong src, ulong after)
    {
        using var m = new TestMachine(engine);
        m.Poke64(D + 8, mem);
        m.X(5) = D + 8;
        m.X(6) = src;
        Assert.Equal(TrapCause.Budget, m.Step(Amo(f5, wide, 7, 5, 6) | 3u << 25 /* aq rl */).Cause);
        Assert.Equal(after, m.Peek64(D + 8));
        Assert.Equal(wide ? mem : (ulong)(long)(int)mem, m.X(7));
    }

    [Theory, EachEngine]
    public void LrScSucceedsThenFailsWithoutReservation(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke64(D, 40);
        m.X(5) = D;
        m.RunToBreak(new Snippet().I(Amo(Lr, true, 6, 5, 0), Addi(6, 6, 2), Amo(Sc, true, 7, 5, 6), Amo(Sc, true, 8, 5, 6)));
        Assert.Equal(42UL, m.Peek64(D));
        Assert.Equal(0UL, m.X(7));   // success
        Assert.Equal(1UL, m.X(8));   // reservation consumed
    }

    [Theory, EachEngine]
    public void ScToOtherAddressOrWidthFails(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = D;
        m.X(9) = D + 8;
        m.RunToBreak(new Snippet().I(Amo(Lr, true, 6, 5, 0), Amo(Sc, true, 7, 9, 6),
                                     Amo(Lr, true, 6, 5, 0), Amo(Sc, false, 8, 5, 6)));
        Assert.Equal(1UL, m.X(7));
        Assert.Equal(1UL, m.X(8));
        Assert.Equal(0UL, m.Peek64(D + 8));
    }

    [Theory, EachEngine]
    public void LrWordSignExtends(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke64(D, 0x8000_0000);
        m.X(5) = D;
        m.Step(Amo(Lr, false, 6, 5, 0));
        Assert.Equal(0xFFFF_FFFF_8000_0000, m.X(6));
    }

    [Theory, EachEngine]
    public void ReservationIsClearedBetweenRunsAndByContextSwitch(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = D;
        m.Poke(TestMachine.Code, new Snippet().I(Amo(Lr, true, 6, 5, 0), Amo(Sc, true, 7, 5, 6), Ebreak()).ToArray());
        Assert.Equal(TrapCause.Budget, m.Hart.Run(1).Cause);     // LR, then the strand is preempted
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);
        Assert.Equal(1UL, m.X(7));
    }

    [Theory]
    [EachEngine(0x00, true, 4)]
    [EachEngine(0x02, true, 4)]   // lr.d
    [EachEngine(0x03, false, 2)]  // sc.w
    [EachEngine(0x01, false, 1)]
    public void MisalignedAtomicTraps(string engine, int f5, bool wide, int offset)
    {
        using var m = new TestMachine(engine);
        m.X(5) = D + (ulong)offset;
        m.X(7) = 77;
        Trap t = m.Step(Amo(f5, wide, 7, 5, f5 == 0x02 ? 0 : 6));
        Assert.Equal(TrapCause.MisalignedAccess, t.Cause);
        Assert.Equal(D + (ulong)offset, t.Address);
        Assert.Equal(77UL, m.X(7));
        Assert.Equal(0UL, m.Hart.InstructionsRetired);
    }

    [Theory, EachEngine]
    public void AmoOnReadOnlyPageIsWritePageFault(string engine)
    {
        using var m = new TestMachine(engine);
        m.Table.Protect(D, PageRights.Read);
        m.X(5) = D;
        Trap t = m.Step(Amo(0x00, true, 7, 5, 6));
        Assert.Equal(TrapCause.PageFault, t.Cause);
        Assert.Equal(AccessKind.Write, t.Access);
    }
}
