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
    /// <summary>The decoded-code page of the frame, set by the first instruction fetch through this entry.</summary>
    public Decoded* Code;
    public uint Frame;

    public void Clear()
    {
        ReadTag = WriteTag = ExecTag = Invalid;
        Code = null;
    }
}

/// <summary>
/// Decoded instructions of one physical frame, one slot per halfword. A pinned array so that the
/// interpreter addresses it by pointer. This is the seam for a future block translator: compiled
/// blocks for a frame would hang off this object and be validated the same way.
/// </summary>
internal sealed unsafe class CodePage
{
    public const int Slots = Memory.PhysicalMemory.PageSize / 2;

    private readonly Decoded[] _slots = GC.AllocateArray<Decoded>(Slots, pinned: true);

    public Decoded* Slot0 => (Decoded*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _slots[0]);
}
