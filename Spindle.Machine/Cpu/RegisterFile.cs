namespace Spindle.Machine.Cpu;

/// <summary>
/// The user-visible state of one hart: the whole saved CPU context of a user strand.
/// Switching strands copies this struct; nothing else is per-strand in the hart.
/// </summary>
public unsafe struct RegisterFile
{
    /// <summary>Integer registers x0..x31; X[0] is always 0 when read by the hart.</summary>
    public fixed ulong X[32];
    /// <summary>Floating-point registers f0..f31 as raw bits (single values NaN-boxed).</summary>
    public fixed ulong F[32];
    /// <summary>Program counter.</summary>
    public ulong Pc;
    /// <summary>fcsr: frm in bits 7:5, fflags in bits 4:0.</summary>
    public uint Fcsr;

    // ABI register numbers used by the kernel.
    public const int Ra = 1, Sp = 2, Gp = 3, Tp = 4, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A7 = 17;
}
