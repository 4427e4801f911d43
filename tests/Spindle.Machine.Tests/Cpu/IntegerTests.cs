using Spindle.Machine.Cpu;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

public unsafe class IntegerTests
{
    private string _engine = "";    // the engine of the running case (xunit makes an instance per case)

    // Runs one R-type op on a and b and returns rd.
    private ulong RunOp(uint insn, ulong a, ulong b)
    {
        using var m = new TestMachine(_engine);
        m.X(5) = a;
        m.X(6) = b;
        Trap t = m.Step(insn);
        Assert.Equal(TrapCause.Budget, t.Cause);
        Assert.Equal(TestMachine.Code + 4, t.Pc);
        return m.X(7);
    }

    private ulong Rr(int f7, int f3, ulong a, ulong b) => RunOp(Op(f7, f3, 7, 5, 6), a, b);
    private ulong Rr32(int f7, int f3, ulong a, ulong b) => RunOp(Op32(f7, f3, 7, 5, 6), a, b);
    private ulong Ri(int f3, ulong a, int imm) => RunOp(OpImm(f3, 7, 5, imm), a, 0);

    private const ulong Min = 0x8000_0000_0000_0000;

    [Theory, EachEngine]
    public void BaseArithmetic(string engine)
    {
        _engine = engine;
        Assert.Equal(5UL, Rr(0, 0, 2, 3));
        Assert.Equal(ulong.MaxValue, Rr(0x20, 0, 2, 3));
        Assert.Equal(8UL << 3, Rr(0, 1, 8, 3 + 64));                // sll masks the count
        Assert.Equal(1UL, Rr(0, 2, ulong.MaxValue, 0));             // slt signed
        Assert.Equal(0UL, Rr(0, 3, ulong.MaxValue, 0));             // sltu
        Assert.Equal(6UL, Rr(0, 4, 5, 3));
        Assert.Equal(Min >> 4, Rr(0, 5, Min, 4));                   // srl
        Assert.Equal(0xF800_0000_0000_0000, Rr(0x20, 5, Min, 4));   // sra
        Assert.Equal(7UL, Rr(0, 6, 5, 3));
        Assert.Equal(1UL, Rr(0, 7, 5, 3));
    }

    [Theory, EachEngine]
    public void Immediates(string engine)
    {
        _engine = engine;
        Assert.Equal(ulong.MaxValue - 1, Ri(0, 1, -3));             // addi
        Assert.Equal(1UL, Ri(2, unchecked((ulong)-5), -4));         // slti
        Assert.Equal(1UL, Ri(3, 5, -1));                            // sltiu: -1 is huge
        Assert.Equal(~5UL, Ri(4, 5, -1));                           // xori -1 = not
        Assert.Equal(0xFFFF_FFFF_FFFF_F800, Ri(6, 0, -2048));       // ori sign-extends
        Assert.Equal(0x7F0UL, Ri(7, 0xFFF0, 0x7FF));                // andi
        Assert.Equal(1UL << 63, Ri(1, 1, 63));                      // slli 63
        Assert.Equal(1UL, Ri(5, Min, 63));                          // srli 63
        Assert.Equal(ulong.MaxValue, Ri(5, Min, 63 | 0x400));       // srai 63
    }

    [Theory, EachEngine]
    public void WordForms(string engine)
    {
        _engine = engine;
        Assert.Equal(0xFFFF_FFFF_8000_0000, Rr32(0, 0, 0x7FFF_FFFF, 1));     // addw overflows, sign-extends
        Assert.Equal(0x7FFF_FFFFUL, Rr32(0x20, 0, 0x8000_0000, 1));          // subw
        Assert.Equal(0xFFFF_FFFF_8000_0000, Rr32(0, 1, 1, 31 + 32));         // sllw masks to 5 bits
        Assert.Equal(0x7FFF_FFFFUL, Rr32(0, 5, 0xFFFF_FFFF, 1));             // srlw
        Assert.Equal(ulong.MaxValue, Rr32(0x20, 5, 0x8000_0000, 31));        // sraw
        Assert.Equal(0xFFFF_FFFF_8000_0000, RunOp(I(0x1B, 7, 0, 5, 1), 0x7FFF_FFFF, 0)); // addiw
        Assert.Equal(0xFFFF_FFFF_8000_0000, RunOp(I(0x1B, 7, 1, 5, 31), 1, 0));         // slliw
        Assert.Equal(1UL, RunOp(I(0x1B, 7, 5, 5, 31), 0x8000_0000, 0));                 // srliw
        Assert.Equal(ulong.MaxValue, RunOp(I(0x1B, 7, 5, 5, 31 | 0x400), 0x8000_0000, 0)); // sraiw
        Assert.Equal(0xFFFF_FFFF_8000_0000, RunOp(I(0x1B, 7, 0, 5, 0), 0x1234_8000_0000, 0)); // sext.w
    }

    [Theory, EachEngine]
    public void MultiplyHighForms(string engine)
    {
        _engine = engine;
        Assert.Equal(6UL, Rr(1, 0, 2, 3));
        Assert.Equal(ulong.MaxValue, Rr(1, 1, ulong.MaxValue, 1));            // mulh(-1, 1) = -1 high
        Assert.Equal(0x4000_0000_0000_0000UL, Rr(1, 1, Min, Min));            // mulh(MIN, MIN)
        Assert.Equal(ulong.MaxValue - 1, Rr(1, 3, ulong.MaxValue, ulong.MaxValue)); // mulhu
        Assert.Equal(ulong.MaxValue, Rr(1, 2, ulong.MaxValue, ulong.MaxValue));  // mulhsu(-1, 2^64-1)
        Assert.Equal(0UL, Rr(1, 2, 1, ulong.MaxValue));                        // mulhsu(1, 2^64-1)
        Assert.Equal(0xFFFF_FFFF_8000_0000, Rr32(1, 0, 0x4000_0000, 2));      // mulw sign-extends
    }

    [Theory, EachEngine]
    public void DivisionEdgeCases(string engine)
    {
        _engine = engine;
        Assert.Equal(ulong.MaxValue, Rr(1, 4, 7, 0));           // div by zero = -1
        Assert.Equal(ulong.MaxValue, Rr(1, 5, 7, 0));           // divu by zero = 2^64-1
        Assert.Equal(7UL, Rr(1, 6, 7, 0));                      // rem by zero = dividend
        Assert.Equal(7UL, Rr(1, 7, 7, 0));                      // remu by zero = dividend
        Assert.Equal(Min, Rr(1, 4, Min, ulong.MaxValue));       // MIN / -1 = MIN
        Assert.Equal(0UL, Rr(1, 6, Min, ulong.MaxValue));       // MIN % -1 = 0
        Assert.Equal(unchecked((ulong)-2), Rr(1, 4, unchecked((ulong)-7), 3));
        Assert.Equal(unchecked((ulong)-1), Rr(1, 6, unchecked((ulong)-7), 3));
        Assert.Equal(ulong.MaxValue, Rr32(1, 4, 7, 0x1_0000_0000)); // divw: low word of divisor is 0
        Assert.Equal(ulong.MaxValue, Rr32(1, 5, 7, 0));         // divuw by zero = sext(0xffffffff)
        Assert.Equal(0xFFFF_FFFF_8000_0000, Rr32(1, 4, 0x8000_0000, 0xFFFF_FFFF)); // INT_MIN / -1
        Assert.Equal(0UL, Rr32(1, 6, 0x8000_0000, 0xFFFF_FFFF)); // INT_MIN % -1
        Assert.Equal(0xFFFF_FFFF_8000_0000, Rr32(1, 7, 0x8000_0000, 0));  // remuw by zero: sext(dividend)
        Assert.Equal(0x7FFF_FFFFUL, Rr32(1, 5, 0xFFFF_FFFE, 2)); // divuw
    }

    [Theory, EachEngine]
    public void LuiAuipcAndX0(string engine)
    {
        using var m = new TestMachine(engine);
        m.RunToBreak(new Snippet().I(Lui(5, unchecked((int)0x8000_0000)), Auipc(6, 0x1000), Addi(0, 0, 5), Add(7, 0, 0)));
        Assert.Equal(0xFFFF_FFFF_8000_0000, m.X(5));
        Assert.Equal(TestMachine.Code + 4 + 0x1000, m.X(6));
        Assert.Equal(0UL, m.X(0));
        Assert.Equal(0UL, m.X(7));
    }

    [Theory, EachEngine]
    public void BranchesTakenAndNot(string engine)
    {
        // Each branch pair: taken branch skips an "addi x10, x10, 1"; not-taken falls into "addi x11, x11, 1".
        (Func<int, int, int, uint> br, ulong a, ulong b, bool taken)[] cases =
        [
            (Beq, 3, 3, true), (Beq, 3, 4, false), (Bne, 3, 4, true), (Bne, 3, 3, false),
            (Blt, ulong.MaxValue, 0, true), (Blt, 0, ulong.MaxValue, false),
            (Bge, 0, ulong.MaxValue, true), (Bge, 5, 5, true), (Bge, ulong.MaxValue, 0, false),
            (Bltu, 0, ulong.MaxValue, true), (Bltu, ulong.MaxValue, 0, false),
            (Bgeu, ulong.MaxValue, 0, true), (Bgeu, 0, 1, false),
        ];
        foreach (var (br, a, b, taken) in cases)
        {
            using var m = new TestMachine(engine);
            m.X(5) = a;
            m.X(6) = b;
            m.RunToBreak(new Snippet().I(br(5, 6, 8), Addi(11, 11, 1)));
            Assert.Equal(taken ? 0UL : 1UL, m.X(11));
        }
    }

    [Theory, EachEngine]
    public void BackwardBranchLoop(string engine)
    {
        using var m = new TestMachine(engine);
        // x5 = 10; loop: x6 += x5; x5 -= 1; bne x5, x0, loop
        m.RunToBreak(new Snippet().I(Addi(5, 0, 10), Add(6, 6, 5), Addi(5, 5, -1), Bne(5, 0, -8)));
        Assert.Equal(55UL, m.X(6));
        Assert.Equal(1UL + 3 * 10, m.Hart.InstructionsRetired); // the ebreak is not retired
    }

    [Theory, EachEngine]
    public void JalAndJalrLinkAndClearBitZero(string engine)
    {
        using var m = new TestMachine(engine);
        ulong target = TestMachine.Code + 16;
        m.X(5) = target + 1;                            // odd: jalr clears bit 0
        m.RunToBreak(new Snippet().I(Jal(1, 8), Addi(10, 0, 1), Jalr(6, 5, 0), Addi(10, 0, 2), Addi(11, 0, 3)));
        Assert.Equal(TestMachine.Code + 4, m.X(1));
        Assert.Equal(TestMachine.Code + 12, m.X(6));
        Assert.Equal(0UL, m.X(10));
        Assert.Equal(3UL, m.X(11));
    }

    [Theory, EachEngine]
    public void JalrWithRdEqualRs1UsesOldValue(string engine)
    {
        using var m = new TestMachine(engine);
        m.X(5) = TestMachine.Code + 8;
        m.RunToBreak(new Snippet().I(Jalr(5, 5, 0), Addi(10, 0, 1)));
        Assert.Equal(TestMachine.Code + 4, m.X(5));
        Assert.Equal(0UL, m.X(10));
    }
}
