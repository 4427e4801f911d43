using System.Numerics;
using System.Runtime.CompilerServices;

namespace Spindle.Machine.Cpu;

// Hardware fast paths, used only for RNE (the host's mode). Each returns false, leaving flags untouched,
// unless the host result is provably the RISC-V result: finite operands, a result far from overflow and
// underflow (so OF/UF cannot arise and tininess does not matter), and NX decided exactly by an
// error-free transformation (TwoSum for add, a fused-multiply-add residual for mul/div/sqrt/fma).
public static partial class SoftFloat
{
    // Smallest binary64 exponent field trusted by the multiplicative fast paths: keeps every error term
    // (>= 2^-1001) representable. binary32 work is done in double, where any float is far from that edge.
    private const int MinTrustedExp64 = 128;

    private static int Exp64(double x) => (int)(BitConverter.DoubleToUInt64Bits(x) >> 52) & 0x7ff;
    private static int Exp32(float x) => (int)(BitConverter.SingleToUInt32Bits(x) >> 23) & 0xff;

    // True for a binary64 result that is finite and at least 2^(MinTrustedExp64 - 1023).
    private static bool Trusted64(double r) => (uint)(Exp64(r) - MinTrustedExp64) < (uint)(0x7ff - MinTrustedExp64);

    // True for a binary32 result that is finite and at least 2^-125 (so not tiny even before rounding).
    private static bool Trusted32(float r) => (uint)(Exp32(r) - 2) < 0xff - 2;

    // r = x + y; on success accrues NX if the sum was inexact (TwoSum error nonzero). Valid whenever
    // r is finite: addition never loses bits to underflow.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastAdd<T>(T x, T y, out T r, ref uint flags) where T : IFloatingPointIeee754<T>
    {
        r = x + y;
        if (!T.IsFinite(r)) return false;
        T bv = r - x;
        T av = r - bv;
        if ((x - av) + (y - bv) != T.Zero) flags |= NX;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastMul64(double x, double y, out double r, ref uint flags)
    {
        r = x * y;
        if (!Trusted64(r)) return false;
        if (Math.FusedMultiplyAdd(x, y, -r) != 0) flags |= NX;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastDiv64(double x, double y, out double r, ref uint flags)
    {
        r = x / y;
        if (!Trusted64(r) || Exp64(x) < MinTrustedExp64) return false;
        if (Math.FusedMultiplyAdd(-r, y, x) != 0) flags |= NX;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastSqrt64(double x, out double r, ref uint flags)
    {
        r = Math.Sqrt(x);
        if (!Trusted64(r) || Exp64(x) < MinTrustedExp64) return false;   // a negative x gives NaN: rejected
        if (Math.FusedMultiplyAdd(-r, r, x) != 0) flags |= NX;
        return true;
    }

    // Exactness test: with p + pe = x*y and d + de = r - z both error-free, x*y + z == r iff p == d && pe == de
    // (each pair is the unique round-to-nearest split of the same real number).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastMulAdd64(double x, double y, double z, out double r, ref uint flags)
    {
        r = Math.FusedMultiplyAdd(x, y, z);
        double p = x * y;
        if (!Trusted64(r) || !Trusted64(p)) return false;
        double pe = Math.FusedMultiplyAdd(x, y, -p);
        double d = r - z;
        if (!double.IsFinite(d)) return false;
        double bv = d - r;
        double de = (r - (d - bv)) + (-z - bv);
        if (p != d || pe != de) flags |= NX;
        return true;
    }

    // binary32 products are exact in double, so the float result is one rounding of an exact value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastMul32(float x, float y, out float r, ref uint flags)
    {
        double exact = (double)x * y;
        r = (float)exact;
        if (!Trusted32(r)) return false;
        if (r != exact) flags |= NX;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastDiv32(float x, float y, out float r, ref uint flags)
    {
        r = x / y;
        if (!Trusted32(r)) return false;
        if ((double)r * y != x) flags |= NX;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastSqrt32(float x, out float r, ref uint flags)
    {
        r = MathF.Sqrt(x);
        if (!Trusted32(r)) return false;          // a negative x gives NaN: rejected
        if ((double)r * r != x) flags |= NX;
        return true;
    }

    // x*y is exact in double; if adding z is also exact there, one float rounding gives the answer,
    // otherwise the exact value is not even a double, so it is certainly inexact as a float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastMulAdd32(float x, float y, float z, out float r, ref uint flags)
    {
        double p = (double)x * y;
        double s = p + z;
        double bv = s - p;
        bool sumExact = (p - (s - bv)) + (z - bv) == 0;
        r = sumExact ? (float)s : MathF.FusedMultiplyAdd(x, y, z);
        if (!Trusted32(r)) return false;
        if (!sumExact || r != s) flags |= NX;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastNarrow(double x, out float r, ref uint flags)
    {
        r = (float)x;
        if (!Trusted32(r)) return false;
        if (r != x) flags |= NX;
        return true;
    }
}
