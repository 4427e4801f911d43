using System.Runtime.CompilerServices;

namespace Spindle.Machine.Cpu;

/// <summary>M-extension arithmetic with RISC-V's defined results for division by zero and overflow.</summary>
internal static class Alu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mulh(ulong a, ulong b) => (ulong)Math.BigMul((long)a, (long)b, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mulhu(ulong a, ulong b) => Math.BigMul(a, b, out _);

    // signed a times unsigned b: the unsigned high product corrected for a's sign.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mulhsu(ulong a, ulong b) => Math.BigMul(a, b, out _) - ((long)a < 0 ? b : 0);

    // x / 0 = -1; MIN / -1 = MIN.
    public static ulong Div(ulong a, ulong b) =>
        b == 0 ? ulong.MaxValue : (long)b == -1 ? (ulong)(-(long)a) : (ulong)((long)a / (long)b);

    public static ulong Divu(ulong a, ulong b) => b == 0 ? ulong.MaxValue : a / b;

    // x % 0 = x; MIN % -1 = 0.
    public static ulong Rem(ulong a, ulong b) =>
        b == 0 ? a : (long)b == -1 ? 0 : (ulong)((long)a % (long)b);

    public static ulong Remu(ulong a, ulong b) => b == 0 ? a : a % b;

    // The *w forms work on the low 32 bits and sign-extend the 32-bit result.
    public static ulong Divw(ulong a, ulong b)
    {
        int x = (int)a, y = (int)b;
        return (ulong)(long)(y == 0 ? -1 : y == -1 ? unchecked(-x) : x / y);
    }

    public static ulong Divuw(ulong a, ulong b)
    {
        uint x = (uint)a, y = (uint)b;
        return (ulong)(long)(int)(y == 0 ? uint.MaxValue : x / y);
    }

    public static ulong Remw(ulong a, ulong b)
    {
        int x = (int)a, y = (int)b;
        return (ulong)(long)(y == 0 ? x : y == -1 ? 0 : x % y);
    }

    public static ulong Remuw(ulong a, ulong b)
    {
        uint x = (uint)a, y = (uint)b;
        return (ulong)(long)(int)(y == 0 ? x : x % y);
    }
}
