using Spindle.Machine.Cpu;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

public class FloatTests
{
    private const ulong D = TestMachine.Data;
    private const ulong Boxed = 0xFFFF_FFFF_0000_0000;

    [Theory, EachEngine]
    public void FlwBoxesAndFswStoresLowWord(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke64(D, 0x1122_3344_3F80_0000);
        m.X(5) = D;
        m.RunToBreak(new Snippet().I(Flw(1, 5, 0), Fsw(1, 5, 16), Fld(2, 5, 0), Fsd(2, 5, 24)));
        Assert.Equal(Boxed | 0x3F80_0000, m.F(1));
        Assert.Equal(0x3F80_0000UL, m.Peek64(D + 16));
        Assert.Equal(0x1122_3344_3F80_0000UL, m.F(2));
        Assert.Equal(0x1122_3344_3F80_0000UL, m.Peek64(D + 24));
    }

    [Theory, EachEngine]
    public void MovesBetweenRegisterFiles(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = 0x1234_5678_8000_0001;
        m.RunToBreak(new Snippet().I(OpFp(0x78, 0, 1, 5, 0), OpFp(0x70, 0, 6, 1, 0),   // fmv.w.x, fmv.x.w
                                     OpFp(0x79, 0, 2, 5, 0), OpFp(0x71, 0, 7, 2, 0)));  // fmv.d.x, fmv.x.d
        Assert.Equal(Boxed | 0x8000_0001, m.F(1));
        Assert.Equal(0xFFFF_FFFF_8000_0001, m.X(6));     // sign-extended
        Assert.Equal(0x1234_5678_8000_0001UL, m.F(2));
        Assert.Equal(0x1234_5678_8000_0001UL, m.X(7));
    }

    [Theory, EachEngine]
    public void SignInjectionUnboxesSingles(string engine)
    {
        using var m = new TestMachine(engine);
        m.F(1) = Boxed | 0x3F80_0000;          // 1.0f
        m.F(2) = Boxed | 0x8000_0000;          // -0.0f
        m.F(3) = 0x0000_0000_3F80_0000;        // improperly boxed: reads as canonical NaN
        m.F(4) = 0x3FF0_0000_0000_0000;        // 1.0
        m.RunToBreak(new Snippet().I(OpFp(0x10, 0, 10, 1, 2), OpFp(0x10, 1, 11, 1, 2), OpFp(0x10, 2, 12, 2, 2),
                                     OpFp(0x10, 0, 13, 3, 1), OpFp(0x11, 1, 14, 4, 4), OpFp(0x70, 0, 5, 3, 0)));
        Assert.Equal(Boxed | 0xBF80_0000, m.F(10));   // fsgnj.s
        Assert.Equal(Boxed | 0x3F80_0000, m.F(11));   // fsgnjn.s
        Assert.Equal(Boxed | 0x0000_0000, m.F(12));   // fsgnjx.s (-0 ^ sign = +0)
        Assert.Equal(Boxed | 0x7FC0_0000, m.F(13));   // canonical NaN from an unboxed operand
        Assert.Equal(0xBFF0_0000_0000_0000, m.F(14)); // fsgnjn.d
        Assert.Equal(0x3F80_0000UL, m.X(5));          // fmv.x.w ignores boxing
    }

    [Theory, EachEngine]
    public void DynamicRoundingUsesFrmAndFlagsAccrue(string engine)
    {
        using var m = new TestMachine(engine);
        // 1.0f + 2^-24 is a tie: RNE gives 1.0, RUP gives the next float. Both set NX.
        m.F(1) = Boxed | 0x3F80_0000;
        m.F(2) = Boxed | 0x3380_0000;
        m.Hart.Registers.Fcsr = 3 << 5;                // frm = RUP
        m.RunToBreak(new Snippet().I(OpFp(0x00, 7, 10, 1, 2), OpFp(0x00, 0, 11, 1, 2)));
        Assert.Equal(Boxed | 0x3F80_0001, m.F(10));
        Assert.Equal(Boxed | 0x3F80_0000, m.F(11));
        Assert.Equal((3u << 5) | Spindle.Machine.Cpu.SoftFloat.NX, m.Hart.Registers.Fcsr);

        m.F(3) = 0;                                    // 1.0 / 0.0 sets DZ; flags accumulate
        m.F(4) = 0x3FF0_0000_0000_0000;
        m.Poke(TestMachine.Code, new Snippet().I(OpFp(0x0D, 7, 12, 4, 3), Ebreak()).ToArray());
        m.Hart.Registers.Pc = TestMachine.Code;
        m.Hart.Run(10);
        Assert.Equal(0x7FF0_0000_0000_0000UL, m.F(12));
        Assert.Equal((3u << 5) | Spindle.Machine.Cpu.SoftFloat.NX | Spindle.Machine.Cpu.SoftFloat.DZ, m.Hart.Registers.Fcsr);
    }

    [Theory, EachEngine]
    public void InvalidFrmWithDynamicRoundingIsIllegal(string engine)
    {
        using var m = new TestMachine(engine);
        m.Hart.Registers.Fcsr = 5 << 5;
        m.F(10) = 77;
        uint insn = OpFp(0x01, 7, 10, 1, 2);           // fadd.d rm=dyn
        Assert.Equal(new Trap(TrapCause.IllegalInstruction, TestMachine.Code, Instruction: insn), m.Step(insn));
        Assert.Equal(77UL, m.F(10));
        // Operations without a rounding mode do not care about frm.
        Assert.Equal(TrapCause.Budget, m.Step(OpFp(0x11, 0, 10, 1, 2)).Cause);
    }

    [Theory, EachEngine]
    public void ConversionsToWordSignExtendAndFusedNegations(string engine)
    {
        using var m = new TestMachine(engine);
        m.F(1) = 0x41F0_0000_0000_0000;                // 2^32 as double -> fcvt.wu.d saturates to 0xffffffff
        m.F(2) = 0x4000_0000_0000_0000;                // 2.0
        m.F(3) = 0x3FF0_0000_0000_0000;                // 1.0
        m.RunToBreak(new Snippet().I(
            OpFp(0x61, 1, 5, 1, 1),                                             // fcvt.wu.d x5, f1, rtz
            R(0x47, 10, 0, 2, 2, 3 << 2 | 1),                                  // fmsub.d  f10 = 2*2-1
            R(0x4B, 11, 0, 2, 2, 3 << 2 | 1),                                  // fnmsub.d f11 = -(2*2)+1
            R(0x4F, 12, 0, 2, 2, 3 << 2 | 1)));                                // fnmadd.d f12 = -(2*2)-1
        Assert.Equal(ulong.MaxValue, m.X(5));
        Assert.Equal(0x4008_0000_0000_0000UL, m.F(10));   // 3.0
        Assert.Equal(0xC008_0000_0000_0000UL, m.F(11));   // -3.0
        Assert.Equal(0xC014_0000_0000_0000UL, m.F(12));   // -5.0
    }

    [Theory, EachEngine]
    public void CompressedFloatLoadsAndStores(string engine)
    {
        using var m = new TestMachine(engine);
        m.Poke64(D + 8, 0x4000_0000_0000_0000);
        m.X(2) = D;
        m.X(9) = D;
        m.RunToBreak(new Snippet().C(CAsm.Fldsp(1, 8), CAsm.Fsdsp(1, 32), CAsm.Fld(8, 9, 8), CAsm.Fsd(8, 9, 40)));
        Assert.Equal(0x4000_0000_0000_0000UL, m.F(1));
        Assert.Equal(0x4000_0000_0000_0000UL, m.F(8));
        Assert.Equal(0x4000_0000_0000_0000UL, m.Peek64(D + 32));
        Assert.Equal(0x4000_0000_0000_0000UL, m.Peek64(D + 40));
    }
}
