using static Spindle.Machine.Cpu.SoftFloat;
using SF = Spindle.Machine.Cpu.SoftFloat;

namespace Spindle.Machine.Tests.SoftFloat;

/// <summary>Readable hand-worked cases per operation; the oracle tests cover the bulk.</summary>
public sealed class SoftFloatCaseTests
{
    private static ulong D(double x) => BitConverter.DoubleToUInt64Bits(x);
    private static uint S(float x) => BitConverter.SingleToUInt32Bits(x);
    private const ulong DMax = 0x7fefffffffffffff, DInf = 0x7ff0000000000000, DNegZero = 0x8000000000000000;
    private const uint SSNaN = 0x7f800001, SQNaN = 0x7fc01234;
    private const ulong DSNaN = 0x7ff0000000000001;

    [Theory]
    [InlineData(1.0, 2.0, RNE, 3.0, 0u)]
    [InlineData(1.0, 8.673617379884035e-19, RNE, 1.0, NX)]                   // 1 + 2^-60
    [InlineData(1.0, 8.673617379884035e-19, RUP, 1.0000000000000002, NX)]
    [InlineData(-1.0, -8.673617379884035e-19, RDN, -1.0000000000000002, NX)]
    [InlineData(1.0, -1.0, RNE, 0.0, 0u)]
    public void F64AddRounds(double a, double b, int rm, double want, uint wantFlags)
    {
        uint flags = 0;
        Assert.Equal(D(want), F64Add(D(a), D(b), rm, ref flags));
        Assert.Equal(wantFlags, flags);
    }

    [Fact]
    public void F64AddSpecialCases()
    {
        uint flags = 0;
        Assert.Equal(CanonicalNaN64, F64Add(DInf, DInf | DNegZero, RNE, ref flags));
        Assert.Equal(NV, flags);
        flags = 0;
        Assert.Equal(DNegZero, F64Add(D(1.0), D(-1.0), RDN, ref flags));      // exact zero sum is -0 in RDN
        Assert.Equal(DInf, F64Add(DMax, DMax, RNE, ref flags));
        Assert.Equal(OF | NX, flags);
        Assert.Equal(DMax, F64Sub(DMax, DMax | DNegZero, RTZ, ref flags));   // RTZ overflow saturates
    }

    [Fact]
    public void FlagsAccrueAndAreNeverCleared()
    {
        uint flags = DZ;
        Assert.Equal(D(3.0), F64Add(D(1.0), D(2.0), RNE, ref flags));
        Assert.Equal(DZ, flags);
    }

    [Fact]
    public void F32MulUnderflowAndExact()
    {
        uint flags = 0;
        Assert.Equal(S(15f), F32Mul(S(3f), S(5f), RNE, ref flags));
        Assert.Equal(0u, flags);
        Assert.Equal(0u, F32Mul(S(MathF.ScaleB(1, -100)), S(MathF.ScaleB(1.5f, -60)), RNE, ref flags));
        Assert.Equal(UF | NX, flags);
        flags = 0;
        Assert.Equal(1u, F32Mul(S(MathF.ScaleB(1, -100)), S(MathF.ScaleB(1.5f, -60)), RUP, ref flags)); // min subnormal
        Assert.Equal(UF | NX, flags);
    }

    [Fact]
    public void DivisionByZeroAndInvalid()
    {
        uint flags = 0;
        Assert.Equal(DInf | DNegZero, F64Div(D(-1.0), 0, RNE, ref flags));
        Assert.Equal(DZ, flags);
        flags = 0;
        Assert.Equal(CanonicalNaN64, F64Div(0, DNegZero, RNE, ref flags));
        Assert.Equal(NV, flags);
        flags = 0;
        Assert.Equal(S(1f / 3f), F32Div(S(1f), S(3f), RNE, ref flags));
        Assert.Equal(NX, flags);
    }

    [Fact]
    public void SqrtOfNegativeIsInvalidExceptMinusZero()
    {
        uint flags = 0;
        Assert.Equal(CanonicalNaN64, F64Sqrt(D(-1.0), RNE, ref flags));
        Assert.Equal(NV, flags);
        flags = 0;
        Assert.Equal(DNegZero, F64Sqrt(DNegZero, RNE, ref flags));
        Assert.Equal(S(2f), F32Sqrt(S(4f), RUP, ref flags));
        Assert.Equal(0u, flags);
    }

    [Fact]
    public void MulAddRoundsOnceAndFlagsInfTimesZero()
    {
        uint flags = 0;
        // (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 exactly fits a float; a separate multiply would round away 2^-24.
        float x = 1 + MathF.ScaleB(1, -12);
        Assert.Equal(S(MathF.ScaleB(1, -11) + MathF.ScaleB(1, -24)), F32MulAdd(S(x), S(x), S(-1f), RNE, ref flags));
        Assert.Equal(0u, flags);
        Assert.Equal(CanonicalNaN32, F32MulAdd(0x7f800000, 0, SQNaN, RNE, ref flags));
        Assert.Equal(NV, flags);                                               // even though c is a quiet NaN
    }

    [Fact]
    public void MinMaxFollowMinimumNumber()
    {
        uint flags = 0;
        Assert.Equal(DNegZero, F64Min(0, DNegZero, 0, ref flags));
        Assert.Equal(0UL, F64Max(DNegZero, 0, 0, ref flags));
        Assert.Equal(S(1f), F32Min(SQNaN, S(1f), 0, ref flags));
        Assert.Equal(0u, flags);
        Assert.Equal(S(1f), F32Max(S(1f), SSNaN, 0, ref flags));
        Assert.Equal(NV, flags);
        Assert.Equal(CanonicalNaN32, F32Min(SQNaN, SQNaN, 0, ref flags));
    }

    [Fact]
    public void EqIsQuietLtLeSignal()
    {
        uint flags = 0;
        Assert.False(F32Eq(SQNaN, SQNaN, ref flags));
        Assert.True(F64Eq(0, DNegZero, ref flags));
        Assert.Equal(0u, flags);
        Assert.False(F64Eq(DSNaN, 0, ref flags));
        Assert.Equal(NV, flags);
        flags = 0;
        Assert.False(F32Lt(SQNaN, S(1f), ref flags));
        Assert.Equal(NV, flags);
        flags = 0;
        Assert.True(F64Le(DNegZero, 0, ref flags));
        Assert.False(F64Lt(DNegZero, 0, ref flags));
        Assert.True(F64Lt(D(-2.0), D(-1.0), ref flags));
        Assert.Equal(0u, flags);
    }

    [Theory]
    [InlineData(0xff800000u, 0)] [InlineData(0xbf800000u, 1)] [InlineData(0x80000001u, 2)] [InlineData(0x80000000u, 3)]
    [InlineData(0x00000000u, 4)] [InlineData(0x007fffffu, 5)] [InlineData(0x3f800000u, 6)] [InlineData(0x7f800000u, 7)]
    [InlineData(0x7f800001u, 8)] [InlineData(0x7fc00000u, 9)]
    public void ClassSetsOneBit(uint bits, int bit)
    {
        Assert.Equal(1u << bit, F32Class(bits));
        Assert.Equal(1u << bit, F64Class(F32ToF64Quietly(bits)));
    }

    // Widens without canonicalising NaNs, to reuse the binary32 class table for binary64.
    private static ulong F32ToF64Quietly(uint x)
    {
        ulong sign = (ulong)(x >> 31) << 63;
        int exp = (int)(x >> 23) & 0xff;
        ulong frac = (ulong)(x & 0x7fffff) << 29;
        ulong e = exp switch { 0 => 0, 0xff => 0x7ff, _ => (ulong)(exp - 127 + 1023) };
        return sign | e << 52 | frac;
    }

    [Fact]
    public void FloatToIntSaturatesWithInvalidOnly()
    {
        uint flags = 0;
        Assert.Equal(0u, F32ToU32(S(-0.5f), RTZ, ref flags));
        Assert.Equal(NX, flags);
        flags = 0;
        Assert.Equal(0u, F64ToU32(D(-1.0), RNE, ref flags));
        Assert.Equal(NV, flags);
        flags = 0;
        Assert.Equal(int.MaxValue, F32ToI32(SQNaN, RNE, ref flags));
        Assert.Equal(int.MaxValue, F64ToI32(D(2147483648.0), RNE, ref flags));
        Assert.Equal(long.MinValue, F64ToI64(DInf | DNegZero, RNE, ref flags));
        Assert.Equal(ulong.MaxValue, F64ToU64(D(1e20), RNE, ref flags));
        Assert.Equal(NV, flags);
        flags = 0;
        Assert.Equal(int.MinValue, F64ToI32(D(-2147483648.0), RNE, ref flags));
        Assert.Equal(int.MinValue, F64ToI32(D(-2147483648.75), RTZ, ref flags));
        Assert.Equal(NX, flags);
    }

    [Theory]
    [InlineData(2.5, RNE, 2)] [InlineData(2.5, RMM, 3)] [InlineData(-2.5, RMM, -3)] [InlineData(-2.5, RDN, -3)]
    [InlineData(-2.5, RUP, -2)] [InlineData(2.5, RTZ, 2)] [InlineData(3.5, RNE, 4)]
    public void FloatToIntRoundsPerMode(double x, int rm, long want)
    {
        uint flags = 0;
        Assert.Equal(want, F64ToI64(D(x), rm, ref flags));
        Assert.Equal(NX, flags);
    }

    [Fact]
    public void IntToFloatRounds()
    {
        uint flags = 0;
        Assert.Equal(S(16777216f), I64ToF32((1 << 24) + 1, RNE, ref flags));
        Assert.Equal(NX, flags);
        Assert.Equal(S(16777218f), I32ToF32((1 << 24) + 1, RUP, ref flags));
        Assert.Equal(D(18446744073709551616.0), U64ToF64(ulong.MaxValue, RNE, ref flags));
        Assert.Equal(D(-9223372036854775808.0), I64ToF64(long.MinValue, RNE, ref flags));
        flags = 0;
        Assert.Equal(D(-7.0), I32ToF64(-7, RNE, ref flags));
        Assert.Equal(0u, flags);
    }

    [Fact]
    public void FormatConversions()
    {
        uint flags = 0;
        Assert.Equal(D(1.5), F32ToF64(S(1.5f), ref flags));
        Assert.Equal(0u, flags);
        Assert.Equal(CanonicalNaN64, F32ToF64(SSNaN, ref flags));
        Assert.Equal(NV, flags);
        flags = 0;
        Assert.Equal(0x7f800000u, F64ToF32(D(1e300), RNE, ref flags));
        Assert.Equal(0x7f7fffffu, F64ToF32(D(1e300), RTZ, ref flags));
        Assert.Equal(OF | NX, flags);
        flags = 0;
        Assert.Equal(CanonicalNaN32, F64ToF32(DSNaN, RNE, ref flags));
        Assert.Equal(NV, flags);
    }

    [Theory]
    [InlineData(5)] [InlineData(7)] [InlineData(-1)]
    public void ReservedRoundingModeIsRejected(int rm)
    {
        uint flags = 0;
        Assert.Throws<ArgumentOutOfRangeException>(() => SF.F64Add(D(1.0), D(2.0), rm, ref flags));
        Assert.Throws<ArgumentOutOfRangeException>(() => SF.F32ToI32(S(1f), rm, ref flags));
        Assert.Throws<ArgumentOutOfRangeException>(() => SF.U64ToF32(1, rm, ref flags));
        Assert.Equal(0u, flags);
    }
}

/// <summary>The oracle's tool lookup fails loudly rather than letting tests pass silently.</summary>
public sealed class RiscvOracleToolTests
{
    [Fact]
    public void MissingToolIsNamedInTheError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => RiscvOracle.Require("spindle-no-such-tool"));
        Assert.Contains("spindle-no-such-tool is not on PATH", e.Message);
    }
}
