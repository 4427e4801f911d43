using System.Runtime.InteropServices;
using Spindle.Machine.Memory;

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

    /// <summary>True if any tag caches a translation of <paramref name="page"/> (page-aligned).</summary>
    public readonly bool Caches(ulong page) => ReadTag == page || WriteTag == page || ExecTag == page;
}

// TLB maintenance against the page table's change log.
public sealed unsafe partial class Hart
{
    // Brings the TLB up to date with `pt`, the current table, whose id or generation differs from the one the
    // TLB was filled under. If it is the same table and every change since is still in its log and covers at
    // most TlbSize pages, only the entries caching those pages are dropped (a protection change costs one
    // probe per page); otherwise the whole TLB is flushed.
    private void CatchUpTlb(PageTable pt)
    {
        if (pt.Id != _tlbTableId || pt.Generation - _tlbGeneration > PageTable.ChangeLogLength) { FlushTlb(); return; }
        for (long g = _tlbGeneration + 1; g <= pt.Generation; g++)
        {
            if (!pt.TryGetChange(g, out ulong start, out ulong end) || (end - start) >> PhysicalMemory.PageShift > TlbSize)
            {
                FlushTlb();
                return;
            }
            for (ulong page = start; page < end; page += PhysicalMemory.PageSize)
            {
                TlbEntry* e = _tlb + ((page >> PhysicalMemory.PageShift) & TlbMask);
                if (e->Caches(page)) e->Clear();
            }
        }
        _tlbGeneration = pt.Generation;
    }

    // True if the TLB caches a translation of `page` (page-aligned); tests use it to see that invalidation is selective.
    internal bool TlbCaches(ulong page) => _tlb[(page >> PhysicalMemory.PageShift) & TlbMask].Caches(page);
}
