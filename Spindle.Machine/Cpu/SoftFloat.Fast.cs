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

    // Integral bounds of the conversion targets, as doubles (2^63 and 2^64 themselves are out of range).
    private const double I32Lo = -2147483648.0, I32Hi = 2147483647.0, U32Hi = 4294967295.0;
    private const double I64Lo = -9223372036854775808.0, I64Hi = 9223372036854774784.0, U64Hi = 18446744073709549568.0;

    // Rounds x to an integral value per rm; every case is exact in hardware. A reserved rm gives NaN,
    // which sends the caller to the slow path (where CheckRm rejects it).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RoundIntegral(double x, int rm)
    {
        switch (rm)
        {
            case RNE: return Math.Round(x, MidpointRounding.ToEven);
            case RTZ: return Math.Truncate(x);
            case RDN: return Math.Floor(x);
            case RUP: return Math.Ceiling(x);
            case RMM:
                double t = Math.Truncate(x);
                return Math.Abs(x - t) >= 0.5 ? t + Math.CopySign(1.0, x) : t;   // x - t is exact
            default: return double.NaN;
        }
    }

    // Float-to-integer conversion for results inside [lo, hi]: any rm, NX when x was not integral.
    // NaN, infinities and out-of-range values fail the range test and take the slow path (NV, saturation).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastToInt(double x, int rm, double lo, double hi, out double r, ref uint flags)
    {
        r = RoundIntegral(x, rm);
        if (!(r >= lo && r <= hi)) return false;
        if (r != x) flags |= NX;
        return true;
    }

    // True if integer conversion of a magnitude within 2^bits is exact for the target and rm is valid.
    private static bool ExactInt(long a, int bits, int rm) => (uint)rm <= RMM && a >= -(1L << bits) && a <= 1L << bits;

    private static bool ExactUInt(ulong a, int bits, int rm) => (uint)rm <= RMM && a <= 1UL << bits;
}
