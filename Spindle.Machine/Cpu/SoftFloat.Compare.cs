namespace Spindle.Machine.Cpu;

// Comparisons, minimumNumber/maximumNumber and FCLASS, shared by both formats. All work on raw bits.
public static partial class SoftFloat
{
    // True if a orders before b, with -0 before +0. Neither operand may be NaN.
    private static bool Before(Fmt f, ulong a, ulong b)
    {
        bool sa = Sign(f, a);
        if (sa != Sign(f, b)) return sa;
        return sa ? a > b : a < b;
    }

    // Quiet equality: NaN is unequal to everything; only a signaling NaN raises NV; -0 == +0.
    private static bool EqCore(Fmt f, ulong a, ulong b, ref uint flags)
    {
        if (IsNaN(f, a) || IsNaN(f, b))
        {
            if (IsSNaN(f, a) || IsSNaN(f, b)) flags |= NV;
            return false;
        }
        return a == b || (IsZero(f, a) && IsZero(f, b));
    }

    // Signaling a < b (orEqual: a <= b): any NaN operand raises NV and compares false.
    private static bool LessCore(Fmt f, ulong a, ulong b, bool orEqual, ref uint flags)
    {
        if (IsNaN(f, a) || IsNaN(f, b))
        {
            flags |= NV;
            return false;
        }
        if (a == b || (IsZero(f, a) && IsZero(f, b))) return orEqual;
        return Before(f, a, b);
    }

    // IEEE 754-2019 minimumNumber (max: maximumNumber): a lone NaN operand is ignored, two give the
    // canonical NaN, any signaling NaN raises NV.
    private static ulong MinMaxCore(Fmt f, ulong a, ulong b, bool max, ref uint flags)
    {
        bool na = IsNaN(f, a), nb = IsNaN(f, b);
        if (na || nb)
        {
            if (IsSNaN(f, a) || IsSNaN(f, b)) flags |= NV;
            if (na && nb) return f.CanonicalNaN;
            return na ? b : a;
        }
        return Before(f, a, b) != max ? a : b;
    }

    // Returns the 10-bit FCLASS mask for a.
    private static uint ClassCore(Fmt f, ulong a)
    {
        bool neg = Sign(f, a);
        int ex = ExpField(f, a);
        bool fracZero = (a & f.FracMask) == 0;
        if (ex == f.ExpMax)
        {
            if (fracZero) return neg ? 1u << 0 : 1u << 7;
            return (a & f.QuietBit) != 0 ? 1u << 9 : 1u << 8;
        }
        if (ex == 0)
        {
            if (fracZero) return neg ? 1u << 3 : 1u << 4;
            return neg ? 1u << 2 : 1u << 5;
        }
        return neg ? 1u << 1 : 1u << 6;
    }
}
