using Spindle.Machine.Cpu;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

public class CsrTests
{
    [Theory, EachEngine]
    public void FcsrFieldsReadAndWrite(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = 0xFF;
        m.RunToBreak(new Snippet().I(
            Csr(1, 6, 0x003, 5),        // csrrw x6, fcsr, x5  -> old 0
            Csr(2, 7, 0x002, 0),        // csrr x7, frm        -> 7
            Csr(7, 8, 0x001, 0x3),      // csrrci x8, fflags, 3 -> old 0x1f
            Csr(5, 9, 0x002, 1),        // csrrwi x9, frm, 1
            Csr(2, 10, 0x003, 0)));     // csrr x10, fcsr
        Assert.Equal(0UL, m.X(6));
        Assert.Equal(7UL, m.X(7));
        Assert.Equal(0x1FUL, m.X(8));
        Assert.Equal(7UL, m.X(9));
        Assert.Equal(0x20UL | 0x1C, m.X(10));
        Assert.Equal(0x3Cu, m.Hart.Registers.Fcsr);
    }

    [Theory, EachEngine]
    public void CountersReadRetiredInstructions(string engine)
    {
        using var m = new TestMachine(engine);
        m.RunToBreak(new Snippet().I(Addi(5, 0, 0), Addi(5, 0, 0), Csr(2, 6, 0xC02, 0), Csr(2, 7, 0xC00, 0),
                                     Csr(2, 8, 0xC01, 0), Csr(2, 9, 0xC01, 0)));
        Assert.Equal(2UL, m.X(6));
        Assert.Equal(3UL, m.X(7));
        Assert.True(m.X(9) >= m.X(8));
    }

    [Theory]
    [EachEngine(1, 0xC00, 5)]   // csrrw cycle: read-only
    [EachEngine(2, 0xC02, 5)]   // csrrs instret with rs1 != 0
    [EachEngine(2, 0x300, 0)]   // mstatus
    [EachEngine(2, 0xC03, 0)]   // hpmcounter3
    [EachEngine(2, 0xC80, 0)]   // cycleh (RV32 only)
    [EachEngine(2, 0x100, 0)]   // sstatus
    public void IllegalCsrAccessTrapsAndChangesNothing(string engine, int f3, int csr, int rs1)
    {
        using var m = new TestMachine(engine);
        m.X(6) = 123;
        uint insn = Csr(f3, 6, csr, rs1);
        Trap t = m.Step(insn);
        Assert.Equal(new Trap(TrapCause.IllegalInstruction, TestMachine.Code, Instruction: insn), t);
        Assert.Equal(123UL, m.X(6));
    }
}
