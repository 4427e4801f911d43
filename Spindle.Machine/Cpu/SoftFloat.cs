namespace Spindle.Machine.Cpu;

// SKELETON: the floating-point helper replaces the bodies; signatures are the contract.
/// <summary>
/// IEEE 754 binary32/binary64 arithmetic with RISC-V semantics: explicit rounding mode,
/// accrued exception flags, canonical NaNs, saturating conversions. Operands and results are raw bits.
/// </summary>
public static partial class SoftFloat
{
    // Rounding modes (frm / rm field).
    public const int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
    // fflags bits.
    public const uint NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
    public const uint CanonicalNaN32 = 0x7fc00000;
    public const ulong CanonicalNaN64 = 0x7ff8000000000000;

    // Min/Max ignore rm (pass 0). Comparisons: Eq is quiet, Lt/Le signal on any NaN.
    public static uint F32Add(uint a, uint b, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint F32Sub(uint a, uint b, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint F32Mul(uint a, uint b, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint F32Div(uint a, uint b, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint F32Min(uint a, uint b, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint F32Max(uint a, uint b, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint F32Sqrt(uint a, int rm, ref uint flags) => throw new NotImplementedException();

    /// <summary>a*b+c rounded once. FMSUB/FNMSUB/FNMADD are this with operand signs flipped.</summary>
    public static uint F32MulAdd(uint a, uint b, uint c, int rm, ref uint flags) => throw new NotImplementedException();

    public static bool F32Eq(uint a, uint b, ref uint flags) => throw new NotImplementedException();

    public static bool F32Lt(uint a, uint b, ref uint flags) => throw new NotImplementedException();

    public static bool F32Le(uint a, uint b, ref uint flags) => throw new NotImplementedException();

    /// <summary>The FCLASS mask (bit 0 = -inf ... bit 9 = quiet NaN).</summary>
    public static uint F32Class(uint a) => throw new NotImplementedException();

    public static int F32ToI32(uint a, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint I32ToF32(int a, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint F32ToU32(uint a, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint U32ToF32(uint a, int rm, ref uint flags) => throw new NotImplementedException();

    public static long F32ToI64(uint a, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint I64ToF32(long a, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F32ToU64(uint a, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint U64ToF32(ulong a, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F64Add(ulong a, ulong b, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F64Sub(ulong a, ulong b, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F64Mul(ulong a, ulong b, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F64Div(ulong a, ulong b, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F64Min(ulong a, ulong b, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F64Max(ulong a, ulong b, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F64Sqrt(ulong a, int rm, ref uint flags) => throw new NotImplementedException();

    /// <summary>a*b+c rounded once. FMSUB/FNMSUB/FNMADD are this with operand signs flipped.</summary>
    public static ulong F64MulAdd(ulong a, ulong b, ulong c, int rm, ref uint flags) => throw new NotImplementedException();

    public static bool F64Eq(ulong a, ulong b, ref uint flags) => throw new NotImplementedException();

    public static bool F64Lt(ulong a, ulong b, ref uint flags) => throw new NotImplementedException();

    public static bool F64Le(ulong a, ulong b, ref uint flags) => throw new NotImplementedException();

    /// <summary>The FCLASS mask (bit 0 = -inf ... bit 9 = quiet NaN).</summary>
    public static uint F64Class(ulong a) => throw new NotImplementedException();

    public static int F64ToI32(ulong a, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong I32ToF64(int a, int rm, ref uint flags) => throw new NotImplementedException();

    public static uint F64ToU32(ulong a, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong U32ToF64(uint a, int rm, ref uint flags) => throw new NotImplementedException();

    public static long F64ToI64(ulong a, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong I64ToF64(long a, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F64ToU64(ulong a, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong U64ToF64(ulong a, int rm, ref uint flags) => throw new NotImplementedException();

    public static ulong F32ToF64(uint a, ref uint flags) => throw new NotImplementedException();

    public static uint F64ToF32(ulong a, int rm, ref uint flags) => throw new NotImplementedException();
}
