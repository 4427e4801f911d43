using System.Runtime.CompilerServices;

namespace Spindle.Machine.Cpu;

/// <summary>NaN boxing of single-precision values in 64-bit f registers.</summary>
internal static class NanBox
{
    private const ulong BoxBits = 0xFFFF_FFFF_0000_0000;

    /// <summary>The register image of a single value: upper 32 bits all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Box(uint single) => BoxBits | single;

    /// <summary>The single value of a register, or the canonical NaN if the register is not properly boxed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Unbox(ulong reg) => (reg & BoxBits) == BoxBits ? (uint)reg : SoftFloat.CanonicalNaN32;
}
