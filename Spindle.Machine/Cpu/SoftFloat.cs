using System.Runtime.CompilerServices;

namespace Spindle.Machine.Cpu;

/// <summary>
/// IEEE 754 binary32/binary64 arithmetic with RISC-V semantics: explicit rounding mode,
/// accrued exception flags, canonical NaNs, saturating conversions. Operands and results are raw bits.
/// </summary>
/// <remarks>
/// Flags are OR-ed into <c>flags</c>, never cleared. Every method is pure and allocation-free, so harts may
/// call it concurrently. A rounding mode outside 0..4 (the reserved frm values) is the decoder's to reject;
/// passing one here throws <see cref="ArgumentOutOfRangeException"/>. Arithmetic tries a host-hardware fast
/// path under RNE, float-to-int conversion one under every mode for in-range results, int-to-float one for
/// exactly representable integers (SoftFloat.Fast.cs); everything else runs the exact integer paths
/// (SoftFloat.Arith.cs, SoftFloat.Convert.cs, SoftFloat.Compare.cs).
/// </remarks>
public static partial class SoftFloat
{
    // Rounding modes (frm / rm field).
    public const int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
    // fflags bits.
    public const uint NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
    public const uint CanonicalNaN32 = 0x7fc00000;
    public const ulong CanonicalNaN64 = 0x7ff8000000000000;

    private static float F(uint x) => BitConverter.UInt32BitsToSingle(x);
    private static uint Bits(float x) => BitConverter.SingleToUInt32Bits(x);
    private static double Dbl(ulong x) => BitConverter.UInt64BitsToDouble(x);
    private static ulong Bits(double x) => BitConverter.DoubleToUInt64Bits(x);

    /// <summary>a + b rounded per rm (FADD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F32Add(uint a, uint b, int rm, ref uint flags)
        => rm == RNE && FastAdd(F(a), F(b), out float r, ref flags) ? Bits(r) : (uint)AddSlow(S, a, b, rm, ref flags);

    /// <summary>a - b: a + (-b); a NaN's sign is irrelevant since NaN results are canonical.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F32Sub(uint a, uint b, int rm, ref uint flags) => F32Add(a, b ^ 0x80000000, rm, ref flags);

    /// <summary>a * b rounded per rm (FMUL).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F32Mul(uint a, uint b, int rm, ref uint flags)
        => rm == RNE && FastMul32(F(a), F(b), out float r, ref flags) ? Bits(r) : (uint)MulSlow(S, a, b, rm, ref flags);

    /// <summary>a / b rounded per rm (FDIV); x/0 raises DZ, 0/0 and inf/inf raise NV.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F32Div(uint a, uint b, int rm, ref uint flags)
        => rm == RNE && FastDiv32(F(a), F(b), out float r, ref flags) ? Bits(r) : (uint)DivSlow(S, a, b, rm, ref flags);

    /// <summary>minimumNumber (FMIN): -0 &lt; +0, a lone NaN operand is ignored; rm is ignored.</summary>
    public static uint F32Min(uint a, uint b, int rm, ref uint flags) => (uint)MinMaxCore(S, a, b, false, ref flags);

    /// <summary>maximumNumber (FMAX): -0 &lt; +0, a lone NaN operand is ignored; rm is ignored.</summary>
    public static uint F32Max(uint a, uint b, int rm, ref uint flags) => (uint)MinMaxCore(S, a, b, true, ref flags);

    /// <summary>Square root rounded per rm (FSQRT); negative nonzero operands give the canonical NaN and NV.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F32Sqrt(uint a, int rm, ref uint flags)
        => rm == RNE && FastSqrt32(F(a), out float r, ref flags) ? Bits(r) : (uint)SqrtSlow(S, a, rm, ref flags);

    /// <summary>a*b+c rounded once. FMSUB/FNMSUB/FNMADD are this with operand signs flipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F32MulAdd(uint a, uint b, uint c, int rm, ref uint flags)
        => rm == RNE && FastMulAdd32(F(a), F(b), F(c), out float r, ref flags) ? Bits(r) : (uint)MulAddSlow(S, a, b, c, rm, ref flags);

    /// <summary>Quiet a == b (FEQ): false for NaN, NV only for a signaling NaN.</summary>
    public static bool F32Eq(uint a, uint b, ref uint flags) => EqCore(S, a, b, ref flags);

    /// <summary>Signaling a &lt; b (FLT): false and NV for any NaN.</summary>
    public static bool F32Lt(uint a, uint b, ref uint flags) => LessCore(S, a, b, false, ref flags);

    /// <summary>Signaling a &lt;= b (FLE): false and NV for any NaN.</summary>
    public static bool F32Le(uint a, uint b, ref uint flags) => LessCore(S, a, b, true, ref flags);

    /// <summary>The FCLASS mask (bit 0 = -inf ... bit 9 = quiet NaN).</summary>
    public static uint F32Class(uint a) => ClassCore(S, a);

    /// <summary>FCVT.W.S: round per rm, then saturate; NaN and out-of-range give NV (never NX), inexact in-range gives NX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int F32ToI32(uint a, int rm, ref uint flags)
        => FastToInt(F(a), rm, I32Lo, I32Hi, out double r, ref flags) ? (int)r : (int)ToInt(S, a, rm, true, 32, ref flags);

    /// <summary>FCVT.S.W: rounds per rm, NX when inexact.</summary>
    public static uint I32ToF32(int a, int rm, ref uint flags)
        => ExactInt(a, 24, rm) ? Bits((float)a) : (uint)FromInt(S, a < 0, Magnitude(a), rm, ref flags);

    /// <summary>FCVT.WU.S: round per rm, then saturate; NaN and out-of-range give NV (never NX), inexact in-range gives NX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F32ToU32(uint a, int rm, ref uint flags)
        => FastToInt(F(a), rm, 0, U32Hi, out double r, ref flags) ? (uint)r : (uint)ToInt(S, a, rm, false, 32, ref flags);

    /// <summary>FCVT.S.WU: rounds per rm, NX when inexact.</summary>
    public static uint U32ToF32(uint a, int rm, ref uint flags)
        => ExactUInt(a, 24, rm) ? Bits((float)a) : (uint)FromInt(S, false, a, rm, ref flags);

    /// <summary>FCVT.L.S: round per rm, then saturate; NaN and out-of-range give NV (never NX), inexact in-range gives NX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long F32ToI64(uint a, int rm, ref uint flags)
        => FastToInt(F(a), rm, I64Lo, I64Hi, out double r, ref flags) ? (long)r : (long)ToInt(S, a, rm, true, 64, ref flags);

    /// <summary>FCVT.S.L: rounds per rm, NX when inexact.</summary>
    public static uint I64ToF32(long a, int rm, ref uint flags)
        => ExactInt(a, 24, rm) ? Bits((float)a) : (uint)FromInt(S, a < 0, Magnitude(a), rm, ref flags);

    /// <summary>FCVT.LU.S: round per rm, then saturate; NaN and out-of-range give NV (never NX), inexact in-range gives NX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F32ToU64(uint a, int rm, ref uint flags)
        => FastToInt(F(a), rm, 0, U64Hi, out double r, ref flags) ? (ulong)r : ToInt(S, a, rm, false, 64, ref flags);

    /// <summary>FCVT.S.LU: rounds per rm, NX when inexact.</summary>
    public static uint U64ToF32(ulong a, int rm, ref uint flags)
        => ExactUInt(a, 24, rm) ? Bits((float)a) : (uint)FromInt(S, false, a, rm, ref flags);

    /// <summary>a + b rounded per rm (FADD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64Add(ulong a, ulong b, int rm, ref uint flags)
        => rm == RNE && FastAdd(Dbl(a), Dbl(b), out double r, ref flags) ? Bits(r) : AddSlow(D, a, b, rm, ref flags);

    /// <summary>a - b: a + (-b); a NaN's sign is irrelevant since NaN results are canonical.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64Sub(ulong a, ulong b, int rm, ref uint flags) => F64Add(a, b ^ 0x8000000000000000, rm, ref flags);

    /// <summary>a * b rounded per rm (FMUL).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64Mul(ulong a, ulong b, int rm, ref uint flags)
        => rm == RNE && FastMul64(Dbl(a), Dbl(b), out double r, ref flags) ? Bits(r) : MulSlow(D, a, b, rm, ref flags);

    /// <summary>a / b rounded per rm (FDIV); x/0 raises DZ, 0/0 and inf/inf raise NV.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64Div(ulong a, ulong b, int rm, ref uint flags)
        => rm == RNE && FastDiv64(Dbl(a), Dbl(b), out double r, ref flags) ? Bits(r) : DivSlow(D, a, b, rm, ref flags);

    /// <summary>minimumNumber (FMIN): -0 &lt; +0, a lone NaN operand is ignored; rm is ignored.</summary>
    public static ulong F64Min(ulong a, ulong b, int rm, ref uint flags) => MinMaxCore(D, a, b, false, ref flags);

    /// <summary>maximumNumber (FMAX): -0 &lt; +0, a lone NaN operand is ignored; rm is ignored.</summary>
    public static ulong F64Max(ulong a, ulong b, int rm, ref uint flags) => MinMaxCore(D, a, b, true, ref flags);

    /// <summary>Square root rounded per rm (FSQRT); negative nonzero operands give the canonical NaN and NV.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64Sqrt(ulong a, int rm, ref uint flags)
        => rm == RNE && FastSqrt64(Dbl(a), out double r, ref flags) ? Bits(r) : SqrtSlow(D, a, rm, ref flags);

    /// <summary>a*b+c rounded once. FMSUB/FNMSUB/FNMADD are this with operand signs flipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64MulAdd(ulong a, ulong b, ulong c, int rm, ref uint flags)
        => rm == RNE && FastMulAdd64(Dbl(a), Dbl(b), Dbl(c), out double r, ref flags) ? Bits(r) : MulAddSlow(D, a, b, c, rm, ref flags);

    /// <summary>Quiet a == b (FEQ): false for NaN, NV only for a signaling NaN.</summary>
    public static bool F64Eq(ulong a, ulong b, ref uint flags) => EqCore(D, a, b, ref flags);

    /// <summary>Signaling a &lt; b (FLT): false and NV for any NaN.</summary>
    public static bool F64Lt(ulong a, ulong b, ref uint flags) => LessCore(D, a, b, false, ref flags);

    /// <summary>Signaling a &lt;= b (FLE): false and NV for any NaN.</summary>
    public static bool F64Le(ulong a, ulong b, ref uint flags) => LessCore(D, a, b, true, ref flags);

    /// <summary>The FCLASS mask (bit 0 = -inf ... bit 9 = quiet NaN).</summary>
    public static uint F64Class(ulong a) => ClassCore(D, a);

    /// <summary>FCVT.W.D: round per rm, then saturate; NaN and out-of-range give NV (never NX), inexact in-range gives NX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int F64ToI32(ulong a, int rm, ref uint flags)
        => FastToInt(Dbl(a), rm, I32Lo, I32Hi, out double r, ref flags) ? (int)r : (int)ToInt(D, a, rm, true, 32, ref flags);

    /// <summary>Exact; rm is still validated.</summary>
    public static ulong I32ToF64(int a, int rm, ref uint flags)
    {
        CheckRm(rm);
        return Bits((double)a);
    }

    /// <summary>FCVT.WU.D: round per rm, then saturate; NaN and out-of-range give NV (never NX), inexact in-range gives NX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F64ToU32(ulong a, int rm, ref uint flags)
        => FastToInt(Dbl(a), rm, 0, U32Hi, out double r, ref flags) ? (uint)r : (uint)ToInt(D, a, rm, false, 32, ref flags);

    /// <summary>Exact; rm is still validated.</summary>
    public static ulong U32ToF64(uint a, int rm, ref uint flags)
    {
        CheckRm(rm);
        return Bits((double)a);
    }

    /// <summary>FCVT.L.D: round per rm, then saturate; NaN and out-of-range give NV (never NX), inexact in-range gives NX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long F64ToI64(ulong a, int rm, ref uint flags)
        => FastToInt(Dbl(a), rm, I64Lo, I64Hi, out double r, ref flags) ? (long)r : (long)ToInt(D, a, rm, true, 64, ref flags);

    /// <summary>FCVT.D.L: rounds per rm, NX when inexact.</summary>
    public static ulong I64ToF64(long a, int rm, ref uint flags)
        => ExactInt(a, 53, rm) ? Bits((double)a) : FromInt(D, a < 0, Magnitude(a), rm, ref flags);

    /// <summary>FCVT.LU.D: round per rm, then saturate; NaN and out-of-range give NV (never NX), inexact in-range gives NX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64ToU64(ulong a, int rm, ref uint flags)
        => FastToInt(Dbl(a), rm, 0, U64Hi, out double r, ref flags) ? (ulong)r : ToInt(D, a, rm, false, 64, ref flags);

    /// <summary>FCVT.D.LU: rounds per rm, NX when inexact.</summary>
    public static ulong U64ToF64(ulong a, int rm, ref uint flags)
        => ExactUInt(a, 53, rm) ? Bits((double)a) : FromInt(D, false, a, rm, ref flags);

    /// <summary>Exact widening; a NaN becomes the canonical NaN (NV if it was signaling).</summary>
    public static ulong F32ToF64(uint a, ref uint flags)
    {
        if (!IsNaN(S, a)) return Bits((double)F(a));   // float -> double is exact in IEEE hardware
        if (IsSNaN(S, a)) flags |= NV;
        return CanonicalNaN64;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint F64ToF32(ulong a, int rm, ref uint flags)
        => rm == RNE && FastNarrow(Dbl(a), out float r, ref flags) ? Bits(r) : NarrowSlow(a, rm, ref flags);

    // |a| as an unsigned magnitude, correct for long.MinValue.
    private static ulong Magnitude(long a) => a < 0 ? unchecked(0UL - (ulong)a) : (ulong)a;
}
