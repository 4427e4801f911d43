using System.Runtime.CompilerServices;

namespace Spindle.Machine.Cpu;

// Exact integer slow paths for add, multiply, divide, square root and fused multiply-add, shared by both
// formats. Each handles every operand class and rounding mode; the hardware fast paths fall back here.
public static partial class SoftFloat
{
    // Returns a + b rounded per rm. Operands are raw bits of format f.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong AddSlow(Fmt f, ulong a, ulong b, int rm, ref uint flags)
    {
        CheckRm(rm);
        if (IsNaN(f, a) || IsNaN(f, b)) return PropagateNaN(f, a, b, ref flags);
        bool sa = Sign(f, a), sb = Sign(f, b);
        if (IsInf(f, a) || IsInf(f, b))
        {
            if (IsInf(f, a) && IsInf(f, b) && sa != sb)
            {
                flags |= NV;
                return f.CanonicalNaN;
            }
            return IsInf(f, a) ? a : b;
        }
        if (IsZero(f, a) || IsZero(f, b)) return AddZero(f, a, sa, b, sb, rm);
        Unpack(f, a, out ulong ma, out int ea);
        Unpack(f, b, out ulong mb, out int eb);
        return Sum(f, sa, ea, ma, sb, eb, mb, rm, ref flags);
    }

    // Returns a + b when at least one is a zero: the other operand exactly, or the IEEE signed zero sum.
    private static ulong AddZero(Fmt f, ulong a, bool sa, ulong b, bool sb, int rm)
    {
        if (!IsZero(f, a)) return a;
        if (!IsZero(f, b)) return b;
        if (sa == sb) return a;
        return rm == RDN ? f.SignBit : 0;
    }

    // Rounds (-1)^sa*ma*2^ea + (-1)^sb*mb*2^eb. Requires ma, mb nonzero and at most 106 bits each.
    private static ulong Sum(Fmt f, bool sa, int ea, UInt128 ma, bool sb, int eb, UInt128 mb, int rm, ref uint flags)
    {
        // Left-align both to bit 124; the low bits left zero make the sticky jam below exact in effect.
        int na = 125 - BitLength(ma), nb = 125 - BitLength(mb);
        ma <<= na; ea -= na;
        mb <<= nb; eb -= nb;
        if (ea < eb)
        {
            (sa, ea, ma, sb, eb, mb) = (sb, eb, mb, sa, ea, ma);
        }
        int d = ea - eb;
        if (d >= 125) mb = 1;
        else if (d > 0) mb = (mb >> d) | ((mb & ((UInt128.One << d) - 1)) != 0 ? UInt128.One : UInt128.Zero);
        if (sa == sb) return RoundPack(f, sa, ea, ma + mb, rm, ref flags);
        if (ma == mb) return rm == RDN ? f.SignBit : 0;   // exact cancellation
        return ma > mb
            ? RoundPack(f, sa, ea, ma - mb, rm, ref flags)
            : RoundPack(f, sb, ea, mb - ma, rm, ref flags);
    }

    // Returns a * b rounded per rm.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong MulSlow(Fmt f, ulong a, ulong b, int rm, ref uint flags)
    {
        CheckRm(rm);
        if (IsNaN(f, a) || IsNaN(f, b)) return PropagateNaN(f, a, b, ref flags);
        ulong sign = (a ^ b) & f.SignBit;
        if (IsInf(f, a) || IsInf(f, b))
        {
            if (IsZero(f, a) || IsZero(f, b))
            {
                flags |= NV;
                return f.CanonicalNaN;
            }
            return sign | f.Inf;
        }
        if (IsZero(f, a) || IsZero(f, b)) return sign;
        Unpack(f, a, out ulong ma, out int ea);
        Unpack(f, b, out ulong mb, out int eb);
        return RoundPack(f, sign != 0, ea + eb, (UInt128)ma * mb, rm, ref flags);
    }

    // Returns a / b rounded per rm; x/0 raises DZ, 0/0 and inf/inf raise NV.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong DivSlow(Fmt f, ulong a, ulong b, int rm, ref uint flags)
    {
        CheckRm(rm);
        if (IsNaN(f, a) || IsNaN(f, b)) return PropagateNaN(f, a, b, ref flags);
        ulong sign = (a ^ b) & f.SignBit;
        if ((IsInf(f, a) && IsInf(f, b)) || (IsZero(f, a) && IsZero(f, b)))
        {
            flags |= NV;
            return f.CanonicalNaN;
        }
        if (IsInf(f, a)) return sign | f.Inf;
        if (IsInf(f, b) || IsZero(f, a)) return sign;
        if (IsZero(f, b))
        {
            flags |= DZ;
            return sign | f.Inf;
        }
        Unpack(f, a, out ulong ma, out int ea);
        Unpack(f, b, out ulong mb, out int eb);
        // Normalise both to 60 bits so the quotient of (ma << 64) / mb has at least 64 bits.
        int na = 60 - BitLength(ma), nb = 60 - BitLength(mb);
        UInt128 num = (UInt128)(ma << na) << 64;
        mb <<= nb;
        UInt128 q = UInt128.DivRem(num, mb).Quotient;
        bool sticky = q * mb != num;
        UInt128 m = (q << 1) | (sticky ? UInt128.One : UInt128.Zero);
        return RoundPack(f, sign != 0, ea - na - (eb - nb) - 65, m, rm, ref flags);
    }

    // Returns sqrt(a) rounded per rm; negative nonzero operands raise NV.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong SqrtSlow(Fmt f, ulong a, int rm, ref uint flags)
    {
        CheckRm(rm);
        if (IsNaN(f, a)) return PropagateNaN(f, a, a, ref flags);
        if (IsZero(f, a)) return a;
        if (Sign(f, a))
        {
            flags |= NV;
            return f.CanonicalNaN;
        }
        if (IsInf(f, a)) return a;
        Unpack(f, a, out ulong ma, out int ea);
        // Scale to a 116- or 117-bit radicand with an even exponent; its root has at least 58 bits.
        int s = 116 - BitLength(ma);
        if (((ea - s) & 1) != 0) s++;
        UInt128 rad = (UInt128)ma << s;
        UInt128 r = ISqrt(rad);
        UInt128 m = (r << 1) | (r * r != rad ? UInt128.One : UInt128.Zero);
        return RoundPack(f, false, (ea - s) / 2 - 1, m, rm, ref flags);
    }

    // Returns floor(sqrt(x)) for x < 2^118.
    private static UInt128 ISqrt(UInt128 x)
    {
        UInt128 r = (UInt128)Math.Sqrt((double)x);
        r = (r + x / r) >> 1;               // one Newton step from the double estimate: r >= floor, off by <= 1
        while (r * r > x) r--;
        return r;
    }

    // Returns a*b + c with a single rounding. inf*0 raises NV even when c is a quiet NaN.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong MulAddSlow(Fmt f, ulong a, ulong b, ulong c, int rm, ref uint flags)
    {
        CheckRm(rm);
        if (IsSNaN(f, a) || IsSNaN(f, b) || IsSNaN(f, c)) flags |= NV;
        if ((IsInf(f, a) && IsZero(f, b)) || (IsZero(f, a) && IsInf(f, b)))
        {
            flags |= NV;
            return f.CanonicalNaN;
        }
        if (IsNaN(f, a) || IsNaN(f, b) || IsNaN(f, c)) return f.CanonicalNaN;
        bool ps = Sign(f, a) != Sign(f, b), sc = Sign(f, c);
        if (IsInf(f, a) || IsInf(f, b))
        {
            if (IsInf(f, c) && sc != ps)
            {
                flags |= NV;
                return f.CanonicalNaN;
            }
            return (ps ? f.SignBit : 0) | f.Inf;
        }
        if (IsInf(f, c)) return c;
        if (IsZero(f, a) || IsZero(f, b)) return AddZero(f, ps ? f.SignBit : 0, ps, c, sc, rm);
        Unpack(f, a, out ulong ma, out int ea);
        Unpack(f, b, out ulong mb, out int eb);
        UInt128 prod = (UInt128)ma * mb;
        if (IsZero(f, c)) return RoundPack(f, ps, ea + eb, prod, rm, ref flags);
        Unpack(f, c, out ulong mc, out int ec);
        return Sum(f, ps, ea + eb, prod, sc, ec, mc, rm, ref flags);
    }
}
