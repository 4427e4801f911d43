using System.Runtime.CompilerServices;

namespace Spindle.Machine.Cpu;

// Conversions between the formats and between floats and 32/64-bit integers (FCVT.*), shared by both formats.
public static partial class SoftFloat
{
    // Converts float x of format f to an integer of `width` bits (signed or not), rounding per rm.
    // Out-of-range values and NaN saturate and raise NV only; in-range inexact values raise NX.
    // Returns the integer's two's-complement bits (the caller narrows to width).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong ToInt(Fmt f, ulong x, int rm, bool signed, int width, ref uint flags)
    {
        CheckRm(rm);
        ulong max = signed ? (1UL << (width - 1)) - 1 : ulong.MaxValue >> (64 - width);
        ulong min = signed ? unchecked(0UL - (1UL << (width - 1))) : 0;
        bool sign = Sign(f, x);
        if (IsNaN(f, x))
        {
            flags |= NV;
            return max;
        }
        if (IsZero(f, x)) return 0;
        bool inexact = false;
        UInt128 mag = UInt128.MaxValue;                  // stands for "too large" (infinity, huge exponents)
        if (!IsInf(f, x))
        {
            Unpack(f, x, out ulong m, out int e);
            if (e + BitLength(m) <= 65) mag = RoundShift(m, -e, sign, rm, out inexact);
        }
        UInt128 limit = sign ? (signed ? (UInt128)1 << (width - 1) : 0) : max;
        if (mag > limit)
        {
            flags |= NV;
            return sign ? min : max;
        }
        if (inexact) flags |= NX;
        return sign ? unchecked(0UL - (ulong)mag) : (ulong)mag;
    }

    // Converts the integer (-1)^sign * mag to format f, rounding per rm (NX when inexact).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong FromInt(Fmt f, bool sign, ulong mag, int rm, ref uint flags)
    {
        CheckRm(rm);
        if (mag == 0) return 0;
        return RoundPack(f, sign, 0, mag, rm, ref flags);
    }

    // Narrows a binary64 to binary32 per rm; NaN becomes the canonical NaN (NV if signaling).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint NarrowSlow(ulong a, int rm, ref uint flags)
    {
        CheckRm(rm);
        if (IsNaN(D, a))
        {
            if (IsSNaN(D, a)) flags |= NV;
            return CanonicalNaN32;
        }
        uint sign = Sign(D, a) ? (uint)S.SignBit : 0;
        if (IsInf(D, a)) return sign | (uint)S.Inf;
        if (IsZero(D, a)) return sign;
        Unpack(D, a, out ulong m, out int e);
        return (uint)RoundPack(S, sign != 0, e, m, rm, ref flags);
    }
}
