using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

public class TrapTests
{
    [Theory, EachEngine]
    public void BudgetTrapIsExact(string engine)
    {
        using var m = new TestMachine(engine);
        // An infinite loop: addi x5, x5, 1; j -4
        m.Poke(TestMachine.Code, new Snippet().I(Addi(5, 5, 1), Jal(0, -4)).ToArray());
        for (int budget = 1; budget <= 7; budget++)
        {
            ulong before = m.Hart.InstructionsRetired;
            Trap t = m.Hart.Run(budget);
            Assert.Equal(TrapCause.Budget, t.Cause);
            Assert.Equal((ulong)budget, m.Hart.InstructionsRetired - before);
            Assert.Equal(t.Pc, m.Hart.Registers.Pc);
        }
        Assert.Equal(28UL, m.Hart.InstructionsRetired);
        Assert.Equal(14UL, m.X(5));
        Assert.Equal(TestMachine.Code, m.Hart.Registers.Pc);
        Assert.Equal(TrapCause.Budget, m.Hart.Run(0).Cause);
    }

    [Theory, EachEngine]
    public void EcallAndEbreakStopOnThemselvesUnretired(string engine)
    {
        using var m = new TestMachine(engine);
        Trap t = m.Step(Ecall());
        Assert.Equal(new Trap(TrapCause.Ecall, TestMachine.Code), t);
        Assert.Equal(0UL, m.Hart.InstructionsRetired);
        t = m.Step(Ebreak());
        Assert.Equal(new Trap(TrapCause.Breakpoint, TestMachine.Code), t);
        m.Poke(TestMachine.Code, new Snippet().C(CAsm.Ebreak()).ToArray());
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(1).Cause);
    }

    [Theory]
    [EachEngine(0x00000000u)]
    [EachEngine(0xFFFFFFFFu)]
    [EachEngine(0x30200073u)]   // mret
    [EachEngine(0x10500073u)]   // wfi
    [EachEngine(0x0000700Bu)]   // custom-0
    [EachEngine(0x04005033u)]   // bad funct7 on OP
    [EachEngine(0x0000302Fu | 0x1Fu << 27)] // unknown AMO
    [EachEngine(0x04000053u)]   // fadd.h (half is not implemented)
    [EachEngine(0x00005053u)]   // fadd.s with rm = 5
    public void IllegalInstructionsReportTheirBits(string engine, uint bits)
    {
        using var m = new TestMachine(engine);
        m.X(7) = 5;
        Trap t = m.Step(bits);
        Assert.Equal(TrapCause.IllegalInstruction, t.Cause);
        Assert.Equal(TestMachine.Code, t.Pc);
        uint expect = (bits & 3) == 3 ? bits : bits & 0xFFFF;
        Assert.Equal(expect, t.Instruction);
        Assert.Equal(0UL, m.Hart.InstructionsRetired);
    }

    [Theory, EachEngine]
    public void FetchFromUnmappedOrNonExecutablePageFaults(string engine)
    {
        using var m = new TestMachine(engine);
        m.Hart.Registers.Pc = 0x123456;
        Assert.Equal(new Trap(TrapCause.PageFault, 0x123456, 0x123456, AccessKind.Execute), m.Hart.Run(10));
        m.Hart.Registers.Pc = TestMachine.Data;
        Assert.Equal(new Trap(TrapCause.PageFault, TestMachine.Data, TestMachine.Data, AccessKind.Execute), m.Hart.Run(10));
        m.Hart.Registers.Pc = 1UL << 62;
        Assert.Equal(TrapCause.PageFault, m.Hart.Run(10).Cause);
        m.Hart.Registers.Pc = TestMachine.Code + 1;
        Assert.Equal(TrapCause.MisalignedAccess, m.Hart.Run(10).Cause);
    }

    [Theory, EachEngine]
    public void InstructionCrossingIntoUnmappedPageFaultsOnTheSecondPage(string engine)
    {
        using var m = new TestMachine(engine);
        ulong last = TestMachine.Code + 4 * 4096 - 2;   // the code region is followed by a hole
        m.Poke(last, new byte[] { 0x93, 0x02 });        // first half of "addi x5, ..."
        m.Hart.Registers.Pc = last;
        Assert.Equal(new Trap(TrapCause.PageFault, last, last + 2, AccessKind.Execute), m.Hart.Run(10));
        m.Map(last + 2, PageRights.ReadExecute);
        m.Poke(last, new Snippet().I(Addi(5, 0, 42), Ebreak()).ToArray());
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);
        Assert.Equal(42UL, m.X(5));
    }

    [Theory, EachEngine]
    public void JumpFromAPageCrossingInstructionToANonCanonicalAliasOfAPageFaults(string engine)
    {
        using var m = new TestMachine(engine);
        ulong alias = TestMachine.Code | 1UL << 63;       // not a user address, whatever page it resembles
        m.Poke(TestMachine.Code, new Snippet().I(Jal(0, 4094)).ToArray());      // a cached block at Code
        m.Poke(TestMachine.Code + 4094, new Snippet().I(Jalr(0, 5, 0)).ToArray());  // crosses into the next page
        m.X(5) = alias;
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(new Trap(TrapCause.PageFault, alias, alias, AccessKind.Execute), m.Hart.Run(100));
    }

    [Theory, EachEngine]
    public void CompressedInstructionInLastHalfwordOfPage(string engine)
    {
        using var m = new TestMachine(engine);
        ulong last = TestMachine.Code + 4096 - 2;
        m.Poke(last, new Snippet().C(CAsm.Li(5, 9)).I(Ebreak()).ToArray());
        m.Hart.Registers.Pc = last;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);
        Assert.Equal(9UL, m.X(5));
    }

    [Theory, EachEngine]
    public void SelfModifyingCodeWithFenceI(string engine)
    {
        using var m = new TestMachine(engine);
        m.Table.Protect(TestMachine.Code, PageRights.All);
        // 0: T: addi x10, x0, 1; 4: ebreak; 8: sw x6, 0(x7); 12: fence.i; 16: j T
        m.Poke(TestMachine.Code, new Snippet().I(Addi(10, 0, 1), Ebreak(), Store(2, 7, 6, 0), FenceI(), Jal(0, -16)).ToArray());
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);   // T is now decoded and cached
        Assert.Equal(1UL, m.X(10));
        m.X(6) = Addi(10, 0, 2);
        m.X(7) = TestMachine.Code;
        m.Hart.Registers.Pc = TestMachine.Code + 8;
        Assert.Equal(new Trap(TrapCause.Breakpoint, TestMachine.Code + 4), m.Hart.Run(10));
        Assert.Equal(2UL, m.X(10));
    }

    [Theory, EachEngine]
    public void KernelWritesIntoCodePageArePickedUp(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke(TestMachine.Code, new Snippet().I(Addi(10, 0, 1), Ebreak()).ToArray());
        m.Hart.Run(10);
        Assert.Equal(1UL, m.X(10));
        // Same length, and a compressed instruction replacing a 32-bit one.
        m.Poke(TestMachine.Code, new Snippet().I(Addi(10, 0, 3)).ToArray());
        m.Hart.Registers.Pc = TestMachine.Code;
        m.Hart.Run(10);
        Assert.Equal(3UL, m.X(10));
        m.Poke(TestMachine.Code, new Snippet().C(CAsm.Li(10, 5), CAsm.Ebreak()).ToArray());
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);
        Assert.Equal(5UL, m.X(10));
    }

    [Theory, EachEngine]
    public void RecycledFrameMappedElsewhereRunsItsNewContents(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke(TestMachine.Code, new Snippet().I(Addi(10, 0, 1), Ebreak()).ToArray());
        m.Hart.Run(10);
        Assert.True(m.Table.TryGet(TestMachine.Code, out var e));
        m.Table.Unmap(TestMachine.Code, out _);
        m.Table.Map(0x700000, e.Frame, PageRights.ReadExecute);
        new Snippet().I(Addi(10, 0, 7), Ebreak()).ToArray().CopyTo(m.Memory.Frame(e.Frame));
        m.Hart.Registers.Pc = 0x700000;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);
        Assert.Equal(7UL, m.X(10));
        m.Hart.FlushDecodedCode();
        m.Hart.Engine.FlushTranslations();
        m.Hart.Registers.Pc = 0x700000;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);
    }
}
