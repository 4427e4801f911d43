using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Spindle.Machine.Memory;

/// <summary>
/// A translation context's page table: virtual page to frame and rights, for user
/// addresses below 2^47 (a four-level radix tree of 512-entry nodes, as Sv48).
/// Only the kernel's Translation service programs it. Every change bumps <see cref="Generation"/> and records
/// the pages it touched in a short log (<see cref="TryGetChange"/>), which the hart reads on entry to Run to
/// drop just the stale TLB entries (as sfence.vma with an address), or all of them when it fell too far behind.
/// </summary>
public sealed class PageTable
{
    public const int VirtualAddressBits = 47;
    public const ulong UserLimit = 1UL << VirtualAddressBits;

    /// <summary>How many of the latest changes <see cref="TryGetChange"/> remembers (a power of two).</summary>
    public const int ChangeLogLength = 16;

    private const int LeafShift = PhysicalMemory.PageShift + 9;      // a leaf maps 512 pages (2 MiB)

    private readonly LeafNode?[]?[]?[] _root = new LeafNode[512][][];
    private LeafNode? _lastLeaf;          // the leaf Walk reached last (leaves are never freed, so it stays valid)
    private long _generation;
    private readonly PageRange[] _changes = new PageRange[ChangeLogLength];
    private static long s_ids;

    // A last-level node: the entries of the 512 pages whose addresses shifted right by LeafShift equal Key.
    private sealed class LeafNode(ulong key)
    {
        public readonly ulong Key = key;
        public readonly PageTableEntry[] Entries = new PageTableEntry[512];
    }

    // The pages [Start, End) one change touched.
    private readonly record struct PageRange(ulong Start, ulong End);

    /// <summary>Unique id of this context (used to tag TLB state).</summary>
    public long Id { get; } = Interlocked.Increment(ref s_ids);

    /// <summary>Incremented on every change that may invalidate a cached translation.</summary>
    public long Generation => _generation;

    /// <summary>
    /// The pages [<paramref name="start"/>, <paramref name="end"/>) whose translations the change that made
    /// generation <paramref name="generation"/> touched. False if that change is not made yet or is older than
    /// the last <see cref="ChangeLogLength"/> (the caller must then assume every page changed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetChange(long generation, out ulong start, out ulong end)
    {
        start = end = 0;
        if (generation <= 0 || generation > _generation || _generation - generation >= ChangeLogLength) return false;
        PageRange r = _changes[generation & (ChangeLogLength - 1)];
        (start, end) = (r.Start, r.End);
        return true;
    }

    // Records a change to the translations of the pages [start, end): the next generation.
    private void Changed(ulong start, ulong end)
    {
        long g = ++_generation;
        _changes[g & (ChangeLogLength - 1)] = new PageRange(start, end);
    }

    // Records a change to the translation of the page holding va.
    private void Changed(ulong va)
    {
        ulong page = va & ~PhysicalMemory.PageMask;
        Changed(page, page + PhysicalMemory.PageSize);
    }

    /// <summary>Number of present pages.</summary>
    public long PresentPages { get; private set; }

    /// <summary>Maps the page containing <paramref name="va"/> to <paramref name="frame"/>. Replaces any mapping.</summary>
    public void Map(ulong va, uint frame, PageRights rights) => Map(va, frame, rights, copyOnWrite: false);

    /// <summary>Maps the page containing <paramref name="va"/> to <paramref name="frame"/> with granted rights
    /// <paramref name="rights"/>; if <paramref name="copyOnWrite"/>, the frame is shared copy-on-write and Write is
    /// withheld from the MMU (see <see cref="PageTableEntry.DeferredWrite"/>). <paramref name="zero"/> marks the frame
    /// known to hold only zeros (<see cref="PageTableEntry.Zero"/>): the caller promises it does, and writes nothing into
    /// it except through the MMU or a dirtying walk. Replaces any mapping (and its bits).</summary>
    public void Map(ulong va, uint frame, PageRights rights, bool copyOnWrite, bool zero = false)
    {
        ref PageTableEntry e = ref Walk(va, create: true);
        if (!e.Present) PresentPages++;
        e = new PageTableEntry { Frame = frame, Present = true, Zero = zero };
        SetRights(ref e, rights, copyOnWrite);
        Debug.Assert(e.BitsConsistent);
        Changed(va);
    }

    /// <summary>Removes the mapping of the page containing <paramref name="va"/>; returns false if there was none.</summary>
    public bool Unmap(ulong va, out uint frame)
    {
        frame = 0;
        if (va >= UserLimit) return false;
        ref PageTableEntry e = ref Walk(va, create: false);
        if (Unsafe.IsNullRef(ref e) || !e.Present) return false;
        frame = e.Frame;
        e = default;
        PresentPages--;
        Changed(va);
        return true;
    }

    /// <summary>Changes the granted rights of a present page, keeping its copy-on-write state; returns false if the page is not present.</summary>
    public bool Protect(ulong va, PageRights rights)
    {
        if (va >= UserLimit) return false;
        ref PageTableEntry e = ref Walk(va, create: false);
        if (Unsafe.IsNullRef(ref e) || !e.Present) return false;
        SetRights(ref e, rights, e.CopyOnWrite);
        Changed(va);
        return true;
    }

    /// <summary>Sets the granted rights and the copy-on-write state of a present page (as <see cref="Map(ulong, uint, PageRights, bool)"/>);
    /// returns false if the page is not present.</summary>
    public bool Protect(ulong va, PageRights rights, bool copyOnWrite)
    {
        if (va >= UserLimit) return false;
        ref PageTableEntry e = ref Walk(va, create: false);
        if (Unsafe.IsNullRef(ref e) || !e.Present) return false;
        SetRights(ref e, rights, copyOnWrite);
        Changed(va);
        return true;
    }

    /// <summary>
    /// Changes the granted rights of every page in [<paramref name="va"/>, <paramref name="end"/>) (page-aligned,
    /// below UserLimit), keeping each page's copy-on-write state, if every one of them is present; returns false
    /// with nothing changed otherwise (or for a bad range). An empty range changes nothing and returns true.
    /// Visits each 512-page leaf of the range once and records one change for the whole range.
    /// </summary>
    public bool ProtectRange(ulong va, ulong end, PageRights rights)
    {
        if (((va | end) & PhysicalMemory.PageMask) != 0 || va > end || end > UserLimit) return false;
        if (va == end) return true;
        for (ulong at = va; at < end; at = LeafEnd(at))
        {
            Span<PageTableEntry> leaf = Leaf(at, end);
            if (leaf.IsEmpty) return false;
            foreach (ref readonly PageTableEntry e in leaf)
                if (!e.Present) return false;
        }
        for (ulong at = va; at < end; at = LeafEnd(at))
            foreach (ref PageTableEntry e in Leaf(at, end))
                SetRights(ref e, rights, e.CopyOnWrite);
        Changed(va, end);
        return true;
    }

    // The entries of the pages from `at` (page-aligned, below UserLimit, before `end`) to the end of its leaf or
    // to `end`, whichever comes first; empty if the leaf does not exist (no page in it is present).
    private Span<PageTableEntry> Leaf(ulong at, ulong end)
    {
        LeafNode? leaf = FindLeaf(at, create: false);
        if (leaf == null) return default;
        int count = (int)((Math.Min(end, LeafEnd(at)) - at) >> PhysicalMemory.PageShift);
        return leaf.Entries.AsSpan((int)(at >> PhysicalMemory.PageShift) & 511, count);
    }

    // The first address past the 512-page leaf holding `at`.
    private static ulong LeafEnd(ulong at) => ((at >> 21) + 1) << 21;

    /// <summary>
    /// Clears the referenced and/or dirty bits of a present page; returns false if the page is not present.
    /// Never touches <see cref="PageTableEntry.Zero"/> (a written page stays not known-zero). Bumps the generation so that harts drop cached translations (a cached write tag skips setting Dirty).
    /// </summary>
    public bool ClearAccessedDirty(ulong va, bool accessed, bool dirty)
    {
        if (va >= UserLimit) return false;
        ref PageTableEntry e = ref Walk(va, create: false);
        if (Unsafe.IsNullRef(ref e) || !e.Present) return false;
        if (accessed) e.Accessed = false;
        if (dirty) e.Dirty = false;
        Debug.Assert(e.BitsConsistent, "a page known to be zero was never dirty");
        Changed(va);
        return true;
    }

    // Granted rights into the MMU's rights and the software bits.
    private static void SetRights(ref PageTableEntry e, PageRights granted, bool copyOnWrite)
    {
        e.CopyOnWrite = copyOnWrite;
        e.DeferredWrite = copyOnWrite && (granted & PageRights.Write) != 0;
        e.Rights = copyOnWrite ? granted & ~PageRights.Write : granted;
        Debug.Assert(e.BitsConsistent);
    }

    /// <summary>Reads the entry of the page containing <paramref name="va"/>; false if not present.</summary>
    public bool TryGet(ulong va, out PageTableEntry entry)
    {
        entry = default;
        if (va >= UserLimit) return false;
        ref PageTableEntry e = ref Walk(va, create: false);
        if (Unsafe.IsNullRef(ref e) || !e.Present) return false;
        entry = e;
        return true;
    }

    /// <summary>
    /// The entry for <paramref name="va"/> by reference, or a null ref if absent and not created.
    /// The MMU uses it to set Accessed/Dirty. Throws <see cref="ArgumentOutOfRangeException"/> unless
    /// <paramref name="va"/> &lt; UserLimit (callers check). Consecutive walks within one leaf's 2 MiB skip the upper levels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref PageTableEntry Walk(ulong va, bool create)
    {
        if (va >= UserLimit) ThrowNotUser(va);
        LeafNode? leaf = _lastLeaf;
        if (leaf == null || leaf.Key != va >> LeafShift)
        {
            leaf = FindLeaf(va, create);
            if (leaf == null) return ref Unsafe.NullRef<PageTableEntry>();
            _lastLeaf = leaf;
        }
        return ref leaf.Entries[(int)(va >> PhysicalMemory.PageShift) & 511];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotUser(ulong va) =>
        throw new ArgumentOutOfRangeException(nameof(va), $"0x{va:x} is not a user address");

    // The leaf mapping va (below UserLimit), created with its interior nodes if absent and `create`; else null.
    private LeafNode? FindLeaf(ulong va, bool create)
    {
        int i3 = (int)(va >> 39) & 511, i2 = (int)(va >> 30) & 511, i1 = (int)(va >> 21) & 511;
        var l2 = _root[i3];
        if (l2 == null) { if (!create) return null; l2 = _root[i3] = new LeafNode[512][]; }
        var l1 = l2[i2];
        if (l1 == null) { if (!create) return null; l1 = l2[i2] = new LeafNode[512]; }
        return l1[i1] ??= create ? new LeafNode(va >> LeafShift) : null;
    }

    /// <summary>
    /// The lowest present page in [<paramref name="va"/>, <paramref name="end"/>), skipping absent subtrees whole
    /// (cost: the populated nodes in the range, not its length). False if there is none.
    /// </summary>
    public bool NextPresent(ulong va, ulong end, out ulong page)
    {
        long present = 0;
        return Next(va, end, skipKnownZero: false, ref present, out page);
    }

    /// <summary>
    /// The lowest present page in [<paramref name="va"/>, <paramref name="end"/>) not known to be zero
    /// (<see cref="PageTableEntry.Zero"/>); false if there is none. <paramref name="present"/> grows by the present
    /// pages looked at: those passed over and the one found. Reads each entry once (the walk of a discard, which
    /// leaves known-zero pages alone).
    /// </summary>
    public bool NextPresentNotZero(ulong va, ulong end, ref long present, out ulong page) =>
        Next(va, end, skipKnownZero: true, ref present, out page);

    // The walk of NextPresent and NextPresentNotZero: absent subtrees are skipped whole; every present entry looked
    // at is counted in `present`; the first present one (not known-zero, if skipKnownZero) is the answer.
    private bool Next(ulong va, ulong end, bool skipKnownZero, ref long present, out ulong page)
    {
        page = 0;
        end = Math.Min(end, UserLimit);
        ulong at = va & ~PhysicalMemory.PageMask;
        while (at < end)
        {
            int i3 = (int)(at >> 39) & 511, i2 = (int)(at >> 30) & 511, i1 = (int)(at >> 21) & 511, i0 = (int)(at >> 12) & 511;
            var l2 = _root[i3];
            if (l2 == null) { at = ((at >> 39) + 1) << 39; continue; }
            var l1 = l2[i2];
            if (l1 == null) { at = ((at >> 30) + 1) << 30; continue; }
            var l0 = l1[i1]?.Entries;
            if (l0 == null) { at = ((at >> 21) + 1) << 21; continue; }
            for (; i0 < 512 && at < end; i0++, at += PhysicalMemory.PageSize)
            {
                if (!l0[i0].Present) continue;
                Debug.Assert(l0[i0].BitsConsistent, "Zero implies not Dirty; DeferredWrite implies CopyOnWrite");
                present++;
                if (!skipKnownZero || !l0[i0].Zero) { page = at; return true; }
            }
        }
        return false;
    }

    /// <summary>
    /// The present pages of [<paramref name="va"/>, <paramref name="end"/>) in address order, found one after the
    /// other by <see cref="NextPresent"/> (absent subtrees skipped whole; allocates nothing). The caller may change
    /// or unmap the page it was given before asking for the next one.
    /// </summary>
    public PresentPageWalk PresentPagesIn(ulong va, ulong end) => new(this, va, end);

    /// <summary>The enumerator of <see cref="PresentPagesIn"/> (use with foreach).</summary>
    public struct PresentPageWalk(PageTable table, ulong va, ulong end)
    {
        private ulong _next = va & ~PhysicalMemory.PageMask;

        /// <summary>The present page found last.</summary>
        public ulong Current { get; private set; }

        public readonly PresentPageWalk GetEnumerator() => this;

        /// <summary>Finds the next present page; false when none is left in the range.</summary>
        public bool MoveNext()
        {
            if (_next >= end || !table.NextPresent(_next, end, out ulong page))
            {
                _next = end;
                return false;
            }
            Debug.Assert(page >= _next && page < end, "NextPresent answers inside the range asked");
            Current = page;
            _next = page + PhysicalMemory.PageSize;
            return true;
        }
    }
}
