using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

/// <summary>
/// The basic-block interpreter: budget and faults in the middle of a block, stores into the running
/// block, x0 inside blocks, and entry into the middle of a cached block.
/// </summary>
public class BlockTests
{
    // Ten straight-line instructions x5 = 1, 2, ..., 10 (one block), then ebreak.
    private static Snippet Counting()
    {
        var p = new Snippet();
        for (int i = 0; i < 10; i++) p.I(Addi(5, 5, 1));
        return p.I(Ebreak());
    }

    [Theory, EachEngine]
    public void BudgetExpiringInsideABlockStopsExactly(string engine)
    {
        for (int budget = 1; budget <= 10; budget++)
        {
            using var m = new TestMachine(engine);
            m.Poke(TestMachine.Code, Counting().ToArray());
            Trap t = m.Hart.Run(budget);
            Assert.Equal(new Trap(TrapCause.Budget, TestMachine.Code + 4 * (ulong)budget), t);
            Assert.Equal((ulong)budget, m.X(5));
            Assert.Equal((ulong)budget, m.Hart.InstructionsRetired);
            // Resuming from the middle of the (already cached) block finishes it.
            Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(100).Cause);
            Assert.Equal(10UL, m.X(5));
            Assert.Equal(10UL, m.Hart.InstructionsRetired);
        }
    }

    [Theory, EachEngine]
    public void BudgetOfOneStepsThroughABlock(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke(TestMachine.Code, Counting().ToArray());
        for (int i = 1; i <= 10; i++)
        {
            Assert.Equal(TrapCause.Budget, m.Hart.Run(1).Cause);
            Assert.Equal((ulong)i, m.X(5));
            Assert.Equal(TestMachine.Code + 4 * (ulong)i, m.Hart.Registers.Pc);
        }
        Assert.Equal(new Trap(TrapCause.Breakpoint, TestMachine.Code + 40), m.Hart.Run(1));
        Assert.Equal(10UL, m.Hart.InstructionsRetired);
    }

    [Theory, EachEngine]
    public void FaultInTheMiddleOfABlockIsPrecise(string engine)
    {
        using var m = new TestMachine(engine);
        const ulong hole = 0x80000;
        m.X(7) = hole;
        // addi x5,1; addi x6,2; sd x5,0(x7) (faults); addi x5,100; ebreak
        m.Poke(TestMachine.Code, new Snippet().I(Addi(5, 0, 1), Addi(6, 0, 2), Sd(5, 7, 0), Addi(5, 0, 100), Ebreak()).ToArray());
        Trap t = m.Hart.Run(1000);
        Assert.Equal(new Trap(TrapCause.PageFault, TestMachine.Code + 8, hole, AccessKind.Write), t);
        Assert.Equal((1UL, 2UL), (m.X(5), m.X(6)));
        Assert.Equal(2UL, m.Hart.InstructionsRetired);
        Assert.Equal(TestMachine.Code + 8, m.Hart.Registers.Pc);

        m.Map(hole, PageRights.ReadWrite);
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(1000).Cause);
        Assert.Equal(1UL, m.Peek64(hole));
        Assert.Equal(100UL, m.X(5));
        Assert.Equal(4UL, m.Hart.InstructionsRetired);
    }

    // The store's value for a given width and offset from the target instruction: together with the
    // bytes it overwrites around the target, it turns "addi x10,x0,1" into "addi x10,x0,7".
    private static ulong PatchValue(int width, int delta)
    {
        uint replacement = Addi(10, 0, 7);
        return (width, delta) switch
        {
            (2, 0) => replacement,
            (0, 2) => (replacement >> 16) & 0xFF,                                  // the byte holding imm[3:0]
            (2, 2) => (replacement >> 16) | (Ebreak() & 0xFFFF) << 16,               // misaligned: the slow path
            (3, -4) => (ulong)replacement << 32 | Addi(0, 0, 0),                    // starts before the target
            _ => throw new ArgumentOutOfRangeException(nameof(width)),
        };
    }

    [Theory]
    [EachEngine(2, 0)]
    [EachEngine(0, 2)]
    [EachEngine(2, 2)]
    [EachEngine(3, -4)]
    public void StoreIntoTheRunningBlockIsSeenByTheNextInstruction(string engine, int width, int delta)
    {
        using var m = new TestMachine(engine);
        m.Table.Protect(TestMachine.Code, PageRights.All);
        const ulong target = TestMachine.Code + 12;
        m.X(6) = PatchValue(width, delta);
        m.X(7) = target;
        // 0: store x6 -> target+delta; 4: nop; 8: nop; 12 (target): addi x10,x0,1; 16: ebreak
        m.Poke(TestMachine.Code, new Snippet().I(Store(width, 7, 6, delta), Addi(0, 0, 0), Addi(0, 0, 0), Addi(10, 0, 1), Ebreak()).ToArray());
        Assert.Equal(new Trap(TrapCause.Breakpoint, TestMachine.Code + 16), m.Hart.Run(1000));
        Assert.Equal(Addi(10, 0, 7), BitConverter.ToUInt32(m.Peek(target, 4)));
        Assert.Equal(7UL, m.X(10));
        Assert.Equal(4UL, m.Hart.InstructionsRetired);
    }

    [Theory]
    [EachEngine(false)]     // the patched block is on the page that stores
    [EachEngine(true)]      // ... on another page, reached through a second mapping of its frame
    public void StoreIntoAnotherCachedBlockIsSeenWhenItRunsAgain(string engine, bool alias)
    {
        using var m = new TestMachine(engine);
        m.Table.Protect(TestMachine.Code, PageRights.All);
        const ulong sub = TestMachine.Code + 0x100;
        // sub: addi x10,x0,1; jalr x0,0(x1)
        m.Poke(sub, new Snippet().I(Addi(10, 0, 1), Jalr(0, 1, 0)).ToArray());
        // 0: jal x1,sub; 4: sw x6,0(x7); 8: jal x1,sub-8; 12: ebreak
        m.Poke(TestMachine.Code, new Snippet().I(Jal(1, 0x100), Store(2, 7, 6, 0), Jal(1, 0x100 - 8), Ebreak()).ToArray());
        ulong storeVa = sub;
        if (alias)
        {
            Assert.True(m.Table.TryGet(TestMachine.Code, out PageTableEntry e));
            storeVa = 0x700000 + 0x100;
            m.Table.Map(0x700000, e.Frame, PageRights.ReadWrite);
        }
        m.X(6) = Addi(10, 0, 9);
        m.X(7) = storeVa;
        Assert.Equal(new Trap(TrapCause.Breakpoint, TestMachine.Code + 12), m.Hart.Run(1000));
        Assert.Equal(9UL, m.X(10));
        Assert.Equal(7UL, m.Hart.InstructionsRetired);
    }

    [Theory, EachEngine]
    public void DataStoresIntoACodePageDoNotDisturbItsCode(string engine)
    {
        using var m = new TestMachine(engine);
        m.Table.Protect(TestMachine.Code, PageRights.All);
        // loop: sd x5,0x800(x7); addi x5,x5,1; bne x5,x6,loop; ebreak   (data lives on the code page)
        m.X(6) = 1000;
        m.X(7) = TestMachine.Code;
        m.RunToBreak(new Snippet().I(Sd(5, 7, 0x7F8), Addi(5, 5, 1), Bne(5, 6, -8)));
        Assert.Equal(999UL, m.Peek64(TestMachine.Code + 0x7F8));
        Assert.Equal(3000UL, m.Hart.InstructionsRetired);
    }

    [Theory, EachEngine]
    public void WritesToX0InsideABlockAreDiscarded(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke64(TestMachine.Data, 55);
        m.X(7) = TestMachine.Data;
        // addi x0,x0,5; add x5,x0,x0; ld x0,0(x7); add x6,x0,x0; csrrs x0,instret,x0; add x8,x0,x0; lui x0,1; add x9,x0,x0; ebreak
        m.RunToBreak(new Snippet().I(Addi(0, 0, 5), Add(5, 0, 0), Ld(0, 7, 0), Add(6, 0, 0),
            Csr(2, 0, Hart.CsrInstret, 0), Add(8, 0, 0), Lui(0, 0x1000), Add(9, 0, 0)));
        Assert.Equal((0UL, 0UL, 0UL, 0UL), (m.X(5), m.X(6), m.X(8), m.X(9)));
        Assert.Equal(0UL, m.X(0));
    }

    [Theory, EachEngine]
    public void InstretReadInsideAStraightLineRunCountsEarlierInstructions(string engine)
    {
        using var m = new TestMachine(engine);
        // addi; addi; csrr x10, instret; addi; csrr x11, instret
        m.RunToBreak(new Snippet().I(Addi(5, 0, 1), Addi(5, 5, 1), Csr(2, 10, Hart.CsrInstret, 0), Addi(5, 5, 1), Csr(2, 11, Hart.CsrInstret, 0)));
        Assert.Equal((2UL, 4UL), (m.X(10), m.X(11)));
    }

    [Theory, EachEngine]
    public void JumpIntoTheMiddleOfACachedBlock(string engine)
    {
        using var m = new TestMachine(engine);
        // 0: addi x5,x5,1; 4: addi x6,x6,1; 8: addi x7,x7,-1; 12: bne x7,x0,-8 (to 4); 16: ebreak
        m.X(7) = 3;
        m.RunToBreak(new Snippet().I(Addi(5, 5, 1), Addi(6, 6, 1), Addi(7, 7, -1), Bne(7, 0, -8)));
        Assert.Equal((1UL, 3UL, 0UL), (m.X(5), m.X(6), m.X(7)));
        Assert.Equal(1UL + 3 * 3 + 1 - 1, m.Hart.InstructionsRetired);
    }

    [Theory, EachEngine]
    public void KernelRewriteOfALaterInstructionInACachedBlockIsPickedUp(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke(TestMachine.Code, Counting().ToArray());
        m.Hart.Run(1000);
        Assert.Equal(10UL, m.X(5));
        m.Poke(TestMachine.Code + 36, new Snippet().I(Addi(5, 5, 100)).ToArray());
        m.X(5) = 0;
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(1000).Cause);
        Assert.Equal(109UL, m.X(5));
    }

    [Theory, EachEngine]
    public void KernelRewriteOfAnotherBlockOnTheCurrentPageIsPickedUp(string engine)
    {
        using var m = new TestMachine(engine);
        const ulong sub = TestMachine.Code + 0x100;
        // 0: jal x1,sub; 4: ebreak. sub: addi x10,x0,1; jalr x0,0(x1). Both blocks cached by the first run.
        m.Poke(TestMachine.Code, new Snippet().I(Jal(1, 0x100), Ebreak()).ToArray());
        m.Poke(sub, new Snippet().I(Addi(10, 0, 1), Jalr(0, 1, 0)).ToArray());
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(1000).Cause);
        Assert.Equal(1UL, m.X(10));
        // Between runs the kernel rewrites sub; the next run reaches it from a block on the same page.
        m.Poke(sub, new Snippet().I(Addi(10, 0, 5)).ToArray());
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(1000).Cause);
        Assert.Equal(5UL, m.X(10));
    }

    [Theory, EachEngine]
    public void LongStraightLineRunsSpanSeveralBlocks(string engine)
    {
        using var m = new TestMachine(engine);
        var p = new Snippet();
        for (int i = 0; i < 3 * Block.MaxInstructions + 5; i++) p.I(Addi(5, 5, 1));
        m.RunToBreak(p);
        Assert.Equal((ulong)(3 * Block.MaxInstructions + 5), m.X(5));
        Assert.Equal((ulong)(3 * Block.MaxInstructions + 5), m.Hart.InstructionsRetired);
    }
}
