using System.Runtime.InteropServices;

namespace Spindle.Machine.Cpu;

/// <summary>
/// One entry of the hart's direct-mapped software TLB. Each tag is the virtual page address
/// (low 12 bits zero) when that kind of access is allowed without a walk, or <see cref="Invalid"/>.
/// An access of size s at va hits when (va &amp; (~PageMask | (s-1))) == tag, so misaligned
/// accesses always take the slow path.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TlbEntry
{
    public const ulong Invalid = ulong.MaxValue;

    public ulong ReadTag, WriteTag, ExecTag;
    /// <summary>Host address minus virtual address for the page.</summary>
    public ulong Addend;
    /// <summary>The block table (<see cref="CodePage.Entries"/>) of the frame, set by the first instruction fetch through this entry.</summary>
    public Block** Code;
    public uint Frame;

    public void Clear()
    {
        ReadTag = WriteTag = ExecTag = Invalid;
        Code = null;
    }
}
