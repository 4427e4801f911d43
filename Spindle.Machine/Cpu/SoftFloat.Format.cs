namespace Spindle.Machine.Cpu;

// Format description, unpacking and the single rounding routine shared by every slow path.
// A finite value is handled as sign * m * 2^e with m an unbounded (UInt128) integer.
public static partial class SoftFloat
{
    /// <summary>An IEEE binary interchange format: fraction bits and exponent bits.</summary>
    private readonly struct Fmt(int fracBits, int expBits)
    {
        public readonly int FracBits = fracBits;
        public readonly int ExpBits = expBits;
        public int Bias => (1 << (ExpBits - 1)) - 1;
        public int ExpMax => (1 << ExpBits) - 1;
        /// <summary>Unbiased exponent of the smallest normal number.</summary>
        public int Emin => 1 - Bias;
        public ulong SignBit => 1UL << (FracBits + ExpBits);
        public ulong FracMask => (1UL << FracBits) - 1;
        public ulong QuietBit => 1UL << (FracBits - 1);
        public ulong Inf => (ulong)ExpMax << FracBits;
        public ulong CanonicalNaN => Inf | QuietBit;
        public ulong MaxFinite => Inf - 1;
    }

    private static readonly Fmt S = new(23, 8);
    private static readonly Fmt D = new(52, 11);

    private static bool Sign(Fmt f, ulong x) => (x & f.SignBit) != 0;
    private static int ExpField(Fmt f, ulong x) => (int)(x >> f.FracBits) & f.ExpMax;
    private static bool IsNaN(Fmt f, ulong x) => ExpField(f, x) == f.ExpMax && (x & f.FracMask) != 0;
    private static bool IsSNaN(Fmt f, ulong x) => IsNaN(f, x) && (x & f.QuietBit) == 0;
    private static bool IsInf(Fmt f, ulong x) => (x & ~f.SignBit) == f.Inf;
    private static bool IsZero(Fmt f, ulong x) => (x & ~f.SignBit) == 0;

    // Decodes a finite nonzero value into |x| = m * 2^e.
    private static void Unpack(Fmt f, ulong x, out ulong m, out int e)
    {
        int ex = ExpField(f, x);
        m = x & f.FracMask;
        if (ex == 0)
        {
            e = f.Emin - f.FracBits;
        }
        else
        {
            m |= 1UL << f.FracBits;
            e = ex - f.Bias - f.FracBits;
        }
    }

    // Returns the canonical NaN, raising NV if any operand is signaling. Caller knows some operand is NaN.
    private static ulong PropagateNaN(Fmt f, ulong a, ulong b, ref uint flags)
    {
        if (IsSNaN(f, a) || IsSNaN(f, b)) flags |= NV;
        return f.CanonicalNaN;
    }

    private static int BitLength(UInt128 m) => 128 - (int)UInt128.LeadingZeroCount(m);

    // Throws for a rounding mode outside 0..4; the caller (instruction decode) must have rejected it already.
    private static void CheckRm(int rm)
    {
        if ((uint)rm > RMM) throw new ArgumentOutOfRangeException(nameof(rm), rm, "rounding mode must be RNE, RTZ, RDN, RUP or RMM");
    }

    // Returns m / 2^shift rounded to an integer per rm (sign is the value's sign, for RDN/RUP);
    // inexact reports whether bits were discarded. Requires m < 2^126.
    private static UInt128 RoundShift(UInt128 m, int shift, bool sign, int rm, out bool inexact)
    {
        if (shift <= 0)
        {
            inexact = false;
            return m << -shift;
        }
        UInt128 q, rem, half;
        if (shift >= 127)
        {
            q = 0;
            rem = m;
            half = UInt128.One << 126; // m < 2^126, so rem is below half
        }
        else
        {
            q = m >> shift;
            rem = m & ((UInt128.One << shift) - 1);
            half = UInt128.One << (shift - 1);
        }
        inexact = rem != 0;
        if (!inexact) return q;
        bool up = rm switch
        {
            RNE => rem > half || (rem == half && (q & 1) != 0),
            RTZ => false,
            RDN => sign,
            RUP => !sign,
            _ => rem >= half,
        };
        return up ? q + 1 : q;
    }

    // Rounds sign * m * 2^e (m > 0, m < 2^126) to format f with rounding mode rm, accruing NX/UF/OF.
    // Tininess is detected after rounding, as RISC-V requires.
    private static ulong RoundPack(Fmt f, bool sign, int e, UInt128 m, int rm, ref uint flags)
    {
        int p = f.FracBits + 1;
        int n = BitLength(m);
        int top = e + n - 1;                      // exponent of the leading bit
        bool subnormal = top < f.Emin;
        int shift = subnormal ? f.Emin - f.FracBits - e : n - p;
        UInt128 r = RoundShift(m, shift, sign, rm, out bool inexact);
        int lsb = e + shift;                      // exponent of r's unit bit
        if (r >> p != 0)
        {
            r >>= 1;                              // carry out of the top bit: exact since r == 2^p
            lsb++;
        }
        ulong sgn = sign ? f.SignBit : 0;
        if (inexact)
        {
            flags |= NX;
            if (subnormal && IsTinyAfterRounding(f, top, m, n, sign, rm)) flags |= UF;
        }
        if ((ulong)r < 1UL << f.FracBits) return sgn | (ulong)r;      // subnormal or zero
        int biased = lsb + f.FracBits + f.Bias;
        if (biased >= f.ExpMax)
        {
            flags |= OF | NX;
            bool toInf = rm switch { RTZ => false, RDN => sign, RUP => !sign, _ => true };
            return sgn | (toInf ? f.Inf : f.MaxFinite);
        }
        return sgn | ((ulong)(biased - 1) << f.FracBits) + (ulong)r;
    }

    // True if m * 2^e (leading bit exponent top < Emin) rounded to full precision with unbounded exponent
    // range is still below 2^Emin.
    private static bool IsTinyAfterRounding(Fmt f, int top, UInt128 m, int n, bool sign, int rm)
    {
        if (top < f.Emin - 1) return true;
        UInt128 r = RoundShift(m, n - (f.FracBits + 1), sign, rm, out _);
        return r >> (f.FracBits + 1) == 0;
    }
}
