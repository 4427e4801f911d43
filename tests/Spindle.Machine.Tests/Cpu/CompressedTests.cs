using Spindle.Machine.Cpu;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

public class CompressedTests
{
    // A compressed instruction must decode to exactly the operation and operands of its expansion.
    private static void Same(ushort c, uint expansion)
    {
        Decoded dc = Decoder.Decode(c), de = Decoder.Decode(expansion);
        Assert.NotEqual(Spindle.Machine.Cpu.Op.Illegal, dc.Op);
        Assert.Equal((de.Op, de.Rd, de.Rs1, de.Rs2, de.Imm), (dc.Op, dc.Rd, dc.Rs1, dc.Rs2, dc.Imm));
        Assert.Equal(2, dc.Len);
        Assert.Equal((uint)c, dc.Raw);
    }

    private static void Illegal(ushort c) => Assert.Equal(Spindle.Machine.Cpu.Op.Illegal, Decoder.Decode(c).Op);

    [Fact]
    public void Quadrant0MatchesExpansions()
    {
        foreach (int r in new[] { 8, 9, 15 })
            foreach (int r2 in new[] { 8, 12, 15 })
            {
                foreach (int u in new[] { 4, 8, 64, 1020, 516 })
                    Same(CAsm.Addi4spn(r, u), Addi(r, 2, u));
                foreach (int u in new[] { 0, 8, 120, 128, 248 })
                {
                    Same(CAsm.Ld(r, r2, u), Ld(r, r2, u));
                    Same(CAsm.Sd(r, r2, u), Sd(r, r2, u));
                    Same(CAsm.Fld(r, r2, u), Fld(r, r2, u));
                    Same(CAsm.Fsd(r, r2, u), Fsd(r, r2, u));
                }
                foreach (int u in new[] { 0, 4, 64, 124 })
                {
                    Same(CAsm.Lw(r, r2, u), Load(2, r, r2, u));
                    Same(CAsm.Sw(r, r2, u), Store(2, r2, r, u));
                }
            }
    }

    [Fact]
    public void Quadrant1MatchesExpansions()
    {
        foreach (int imm in new[] { -32, -1, 1, 31 })
        {
            Same(CAsm.Addi(5, imm), Addi(5, 5, imm));
            Same(CAsm.Addiw(31, imm), I(0x1B, 31, 0, 31, imm));
            Same(CAsm.Li(9, imm), Addi(9, 0, imm));
            Same(CAsm.Lui(7, imm << 12), Lui(7, imm << 12));
            Same(CAsm.Andi(10, imm), OpImm(7, 10, 10, imm));
        }
        foreach (int imm in new[] { -512, -16, 16, 496 })
            Same(CAsm.Addi16sp(imm), Addi(2, 2, imm));
        foreach (int sh in new[] { 1, 31, 32, 63 })
        {
            Same(CAsm.Srli(8, sh), OpImm(5, 8, 8, sh));
            Same(CAsm.Srai(15, sh), OpImm(5, 15, 15, sh | 0x400));
            Same(CAsm.Slli(20, sh), OpImm(1, 20, 20, sh));
        }
        Same(CAsm.Sub(8, 9), Op(0x20, 0, 8, 8, 9));
        Same(CAsm.Xor(10, 11), Op(0, 4, 10, 10, 11));
        Same(CAsm.Or(12, 13), Op(0, 6, 12, 12, 13));
        Same(CAsm.And(14, 15), Op(0, 7, 14, 14, 15));
        Same(CAsm.Subw(8, 15), Op32(0x20, 0, 8, 8, 15));
        Same(CAsm.Addw(15, 8), Op32(0, 0, 15, 15, 8));
        foreach (int off in new[] { -2048, -2, 2, 2046, 0x2AA, -0x556 })
            Same(CAsm.J(off), Jal(0, off));
        foreach (int off in new[] { -256, -2, 2, 254, 0xAA, -0x56 })
        {
            Same(CAsm.Beqz(9, off), Beq(9, 0, off));
            Same(CAsm.Bnez(14, off), Bne(14, 0, off));
        }
    }

    [Fact]
    public void Quadrant2MatchesExpansions()
    {
        foreach (int u in new[] { 0, 8, 56, 64, 504 })
        {
            Same(CAsm.Ldsp(1, u), Ld(1, 2, u));
            Same(CAsm.Fldsp(31, u), Fld(31, 2, u));
            Same(CAsm.Sdsp(30, u), Sd(30, 2, u));
            Same(CAsm.Fsdsp(3, u), Fsd(3, 2, u));
        }
        foreach (int u in new[] { 0, 4, 60, 64, 252 })
        {
            Same(CAsm.Lwsp(17, u), Load(2, 17, 2, u));
            Same(CAsm.Swsp(17, u), Store(2, 2, 17, u));
        }
        Same(CAsm.Jr(1), Jalr(0, 1, 0));
        Same(CAsm.Jalr(5), Jalr(1, 5, 0));
        Same(CAsm.Mv(10, 11), Add(10, 0, 11));
        Same(CAsm.Add(10, 11), Add(10, 10, 11));
        Same(CAsm.Ebreak(), Ebreak());
    }

    [Fact]
    public void ReservedEncodingsAreIllegal()
    {
        Illegal(0x0000);                 // all zeros
        Illegal(CAsm.Addi4spn(8, 0));    // nzuimm = 0
        Illegal(0x8000);                 // quadrant 0, funct3 100
        Illegal(CAsm.Addiw(0, 1));       // c.addiw rd = 0
        Illegal(CAsm.Addi16sp(0));       // nzimm = 0
        Illegal(CAsm.Lui(5, 0));         // nzimm = 0
        Illegal(CAsm.Lwsp(0, 4));        // rd = 0
        Illegal(CAsm.Ldsp(0, 8));        // rd = 0
        Illegal(CAsm.Jr(0));             // rs1 = 0
        Illegal(0x9C41 | 2 << 5);        // c.subw group, reserved funct2 10
        Illegal(0x9C41 | 3 << 5);
    }

    [Theory, EachEngine]
    public void CompressedProgramRunsLikeItsExpansion(string engine)
    {
        using var m = new TestMachine(engine);
        // sp = Data + 256; x8 = 5; loop sums 5..1 into x9 with c.add / c.addi / c.bnez; store with c.sdsp, reload with c.ld.
        m.X(2) = TestMachine.Data + 256;
        var p = new Snippet()
            .C(CAsm.Li(8, 5), CAsm.Li(9, 0))
            .C(CAsm.Add(9, 8), CAsm.Addi(8, -1), CAsm.Bnez(8, -4))
            .C(CAsm.Sdsp(9, 16), CAsm.Addi4spn(10, 16), CAsm.Ld(11, 10, 0))
            .C(CAsm.Jalr(0 + 12))
            .C(CAsm.Li(12, 7))
            .I(Addi(13, 0, 1));
        m.X(12) = TestMachine.Code + 20; // c.jalr x12 lands on the addi after "c.li x12, 7"
        m.RunToBreak(p);
        Assert.Equal(15UL, m.X(9));
        Assert.Equal(15UL, m.X(11));
        Assert.Equal(15UL, m.Peek64(TestMachine.Data + 256 + 16));
        Assert.Equal(TestMachine.Code + 18, m.X(1));  // c.jalr links pc + 2
        Assert.Equal(TestMachine.Code + 20, m.X(12)); // c.li x12 was skipped
        Assert.Equal(1UL, m.X(13));
    }
}
