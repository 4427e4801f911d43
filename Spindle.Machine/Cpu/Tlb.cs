using System.Runtime.InteropServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

/// <summary>
/// One entry of the interpreter's direct-mapped software TLB. Each tag is the virtual page address
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

// TLB maintenance: one set of entries per recently run page table, kept coherent with each table's change log.
internal sealed unsafe partial class Interpreter
{
    private readonly long[] _setTableId = [-1, -1, -1, -1];       // per set: the table it caches (-1: none)
    private readonly long[] _setGeneration = new long[TlbSets];   // per set: that table's generation when last in use
    private int _set, _nextVictim;

    // Makes the current set the one caching `pt` (the new current table), parking the old set with its table's
    // id and generation. A table seen recently gets its set back, to be caught up with its changes by Run;
    // otherwise the least recently assigned other set is flushed and given to it.
    private void SelectTlbSet(PageTable? pt)
    {
        _setTableId[_set] = _tlbTableId;
        _setGeneration[_set] = _tlbGeneration;
        long id = pt?.Id ?? -1;
        int set = id < 0 ? -1 : Array.IndexOf(_setTableId, id);
        if (set < 0)
        {
            set = _nextVictim == _set ? (_nextVictim + 1) % TlbSets : _nextVictim;
            _nextVictim = (set + 1) % TlbSets;
            _set = set;
            _tlb = _tlbSets + set * TlbSize;
            FlushTranslations();
            return;
        }
        _set = set;
        _tlb = _tlbSets + set * TlbSize;
        _tlbTableId = _setTableId[set];
        _tlbGeneration = _setGeneration[set];
    }

    // Brings the TLB up to date with `pt`, the current table, whose id or generation differs from the one the
    // TLB was filled under. If it is the same table and every change since is still in its log and covers at
    // most TlbSize pages, only the entries caching those pages are dropped (a protection change costs one
    // probe per page); otherwise the whole TLB is flushed.
    private void CatchUpTlb(PageTable pt)
    {
        TranslationsChanged();
        if (pt.Id != _tlbTableId || pt.Generation - _tlbGeneration > PageTable.ChangeLogLength) { FlushTranslations(); return; }
        for (long g = _tlbGeneration + 1; g <= pt.Generation; g++)
        {
            if (!pt.TryGetChange(g, out ulong start, out ulong end) || (end - start) >> PhysicalMemory.PageShift > TlbSize)
            {
                FlushTranslations();
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

    public bool CachesTranslation(ulong page) => _tlb[(page >> PhysicalMemory.PageShift) & TlbMask].Caches(page);
}
