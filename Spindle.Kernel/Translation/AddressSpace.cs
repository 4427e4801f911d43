using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.VirtAddr;
using Spindle.Machine.Memory;
using Spindle.Sdk.Translation;

namespace Spindle.Kernel.Translation;

/// <summary>
/// One user address space: a page table plus the frames it owns. Page-granular operations;
/// regions and policies (brk, mmap placement) belong to the personality that uses it.
/// Ranges given to the page operations must start page-aligned; their length is rounded up to
/// whole pages (as mmap, munmap and mprotect do). Addresses at or above PageTable.UserLimit are refused.
/// Each mapped page holds one reference on its frame; unmapping drops it. Frames are shared after
/// <see cref="ForkCopyOnWrite"/> (copy-on-write: the first write, by the hart or by <see cref="CopyOut"/>,
/// gives the writer a private copy) or when a frame capability is mapped (shared writable memory).
/// Not thread-safe: one address space is manipulated by one kernel strand at a time.
/// This is the kernel's translation context (SPIN's Translation.T).
/// </summary>
public sealed class AddressSpace : TranslationContext, IDisposable
{
    private const ulong PageSize = PhysicalMemory.PageSize;
    private const ulong PageMask = PhysicalMemory.PageMask;
    private bool _disposed;

    /// <summary>An empty address space whose pages come from <paramref name="frames"/>.</summary>
    public AddressSpace(FrameAllocator frames) { Frames = frames; }

    /// <summary>Where this space's frames come from and go back to.</summary>
    public FrameAllocator Frames { get; }

    /// <summary>The translation context the MMU walks for this space.</summary>
    public PageTable PageTable { get; } = new();

    /// <summary>The virtual ranges reserved through the VirtAddr service.</summary>
    public Reservations Reservations { get; } = new();

    /// <inheritdoc/>
    public override bool Destroyed => _disposed;

    /// <summary>Maps fresh zeroed frames over [va, va+length), replacing (and freeing) existing pages; each page is
    /// marked known-zero (<see cref="PageTableEntry.Zero"/>) until its first write.
    /// False if out of memory or range invalid (unaligned, empty, or reaching past UserLimit); nothing changes then.
    /// Needs one free frame per page of the range, even for pages it replaces.</summary>
    public bool MapAnonymous(ulong va, ulong length, PageRights rights)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (length == 0 || !TryPageRange(va, length, out ulong end)) return false;
        ulong pages = (end - va) >> PhysicalMemory.PageShift;
        if (pages > Frames.Memory.FrameCount) return false;
        uint[] fresh = ArrayPool<uint>.Shared.Rent((int)pages);
        try
        {
            for (int i = 0; i < (int)pages; i++)
            {
                if (Frames.TryAllocate(out fresh[i])) continue;
                for (int j = 0; j < i; j++) Frames.Free(fresh[j]); // out of memory even after reclaiming
                return false;
            }
            for (int i = 0; i < (int)pages; i++)
            {
                ulong page = va + ((ulong)i << PhysicalMemory.PageShift);
                if (PageTable.Unmap(page, out uint old)) Frames.Free(old);
                PageTable.Map(page, fresh[i], rights, copyOnWrite: false, zero: true);
            }
            return true;
        }
        finally { ArrayPool<uint>.Shared.Return(fresh); }
    }

    /// <summary>Maps the page at <paramref name="page"/> (page-aligned, below UserLimit) to <paramref name="frame"/>, on
    /// which the caller hands over one reference, replacing (and releasing) any page there. Not copy-on-write:
    /// writes reach the frame.</summary>
    public void MapFrame(ulong page, uint frame, PageRights rights)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((page & PageMask) != 0 || page >= PageTable.UserLimit)
            throw new ArgumentOutOfRangeException(nameof(page), $"0x{page:x} is not a user page");
        if (PageTable.Unmap(page, out uint old)) Frames.Free(old);
        PageTable.Map(page, frame, rights);
    }

    /// <summary>Unmaps [va, va+length) and frees its frames; absent pages are skipped.
    /// Throws <see cref="ArgumentOutOfRangeException"/> if va is unaligned or the range reaches past UserLimit
    /// (callers validate user-supplied ranges first). Cost: the populated page-table nodes of the range (absent
    /// subtrees are skipped whole, whatever the range's length); allocates nothing.</summary>
    public void Unmap(ulong va, ulong length)
    {
        if (!TryPageRange(va, length, out ulong end))
            throw new ArgumentOutOfRangeException(nameof(va), $"[0x{va:x}, +0x{length:x}) is not a page-aligned user range");
        foreach (ulong page in PageTable.PresentPagesIn(va, end))
            if (PageTable.Unmap(page, out uint frame)) Frames.Free(frame);
    }

    /// <summary>Changes rights on [va, va+length). False if the range is invalid or any page in it
    /// is not mapped (nothing changed then). Copy-on-write pages stay shared: a granted Write stays deferred.</summary>
    public bool Protect(ulong va, ulong length, PageRights rights) =>
        TryPageRange(va, length, out ulong end) && PageTable.ProtectRange(va, end, rights);

    /// <summary>True if every page touched by the bytes [va, va+length) is mapped (any alignment).
    /// An empty range is mapped; a range reaching past UserLimit is not.</summary>
    public bool IsMapped(ulong va, ulong length)
    {
        if (length == 0) return true;
        if (va >= PageTable.UserLimit || length > PageTable.UserLimit - va) return false;
        ulong first = va & ~PageMask, end = (va + length + PageMask) & ~PageMask;
        if (((end - first) >> PhysicalMemory.PageShift) > (ulong)PageTable.PresentPages) return false;
        for (ulong page = first; page < end; page += PageSize)
            if (!PageTable.TryGet(page, out _)) return false;
        return true;
    }

    /// <summary>Lowest page-aligned address at or above <paramref name="hint"/> (and below <paramref name="limit"/>)
    /// where length bytes are unmapped; 0 if none. Never returns page 0 (0 means "none").
    /// Cost: the populated page-table nodes between the hint and the end of the hole found.</summary>
    public ulong FindFree(ulong length, ulong hint, ulong limit)
    {
        if (length == 0 || length > PageTable.UserLimit) return 0;
        ulong len = (length + PageMask) & ~PageMask;
        limit = Math.Min(limit, PageTable.UserLimit) & ~PageMask;
        if (hint > limit) return 0;
        ulong start = Math.Max((hint + PageMask) & ~PageMask, PageSize);
        while (true)
        {
            if (start > limit || len > limit - start) return 0;
            if (!PageTable.NextPresent(start, start + len, out ulong used))
            {
                Debug.Assert(start != 0, "page 0 means none");
                return start;
            }
            start = used + PageSize;
        }
    }

    /// <summary>The rights granted on the page holding <paramref name="va"/> (a write deferred by copy-on-write
    /// counts as granted); false if it is not mapped.</summary>
    public bool TryGetRights(ulong va, out PageRights rights)
    {
        rights = PageRights.None;
        if (!PageTable.TryGet(va, out PageTableEntry e)) return false;
        rights = e.Granted;
        return true;
    }

    /// <summary>Copies user memory into <paramref name="dest"/>; false (EFAULT) if any byte is unmapped or not readable. Any alignment.</summary>
    public bool CopyIn(ulong va, Span<byte> dest)
    {
        while (!dest.IsEmpty)
        {
            if (!TryPage(va, PageRights.Read, dirty: false, out Span<byte> page)) return false;
            int n = Math.Min(page.Length, dest.Length);
            page[..n].CopyTo(dest);
            dest = dest[n..];
            va += (ulong)n;
        }
        return true;
    }

    /// <summary>Copies <paramref name="src"/> into user memory; false (EFAULT) if any byte is unmapped or not writable.
    /// Nothing partial is promised on failure (pages before the faulting one may have been written).</summary>
    public bool CopyOut(ulong va, ReadOnlySpan<byte> src) => Store(va, src, PageRights.Write);

    /// <summary>Writes regardless of page rights (loader use: filling read-only segments). False if unmapped.</summary>
    public bool Poke(ulong va, ReadOnlySpan<byte> src) => Store(va, src, PageRights.None);

    /// <summary>Reads a NUL-terminated string of at most <paramref name="max"/> bytes (excluding NUL) into
    /// <paramref name="dest"/> (which must hold max bytes). Returns bytes read, -1 on EFAULT (a byte before the NUL,
    /// or before max+1 bytes, is unreadable), -2 if longer than max.</summary>
    public int ReadCString(ulong va, Span<byte> dest, int max)
    {
        if (max < 0 || dest.Length < max) throw new ArgumentOutOfRangeException(nameof(max), "dest must hold max bytes");
        int done = 0;
        while (true)
        {
            if (!TryPage(va, PageRights.Read, dirty: false, out Span<byte> page)) return -1;
            int window = Math.Min(page.Length, max + 1 - done);  // look at most at byte index max
            int nul = page[..window].IndexOf((byte)0);
            int n = nul >= 0 ? nul : window;
            page[..Math.Min(n, max - done)].CopyTo(dest[done..]);
            done += n;
            if (nul >= 0) return done;
            if (done > max) return -2;
            va += (ulong)n;
        }
    }

    /// <summary>A new address space with a private copy of every page of this one, same rights
    /// (eager fork). Null if physical memory runs out; nothing is left allocated then.</summary>
    public AddressSpace? Duplicate()
    {
        var child = new AddressSpace(Frames);
        foreach (ulong page in PageTable.PresentPagesIn(0, PageTable.UserLimit))
        {
            PageTable.TryGet(page, out PageTableEntry e);
            if (!Frames.TryAllocate(out uint frame)) { child.Dispose(); return null; }
            Frames.Memory.Frame(e.Frame).CopyTo(Frames.Memory.Frame(frame));
            child.PageTable.Map(page, frame, e.Granted);
        }
        return child;
    }

    /// <summary>
    /// fork: a new address space sharing every page of this one copy-on-write, with the same rights and
    /// reservations. Each frame gains one reference; both spaces lose direct write access to it until the
    /// first write breaks the sharing (<see cref="TryBreakCopyOnWrite"/>). Allocates no frame. A page known to be
    /// zero stays known-zero in both (the shared frame is never written in place while shared).
    /// </summary>
    public AddressSpace ForkCopyOnWrite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var child = new AddressSpace(Frames);
        foreach (ulong page in PageTable.PresentPagesIn(0, PageTable.UserLimit))
        {
            PageTable.TryGet(page, out PageTableEntry e);
            Frames.Share(e.Frame);
            PageTable.Protect(page, e.Granted, copyOnWrite: true);
            child.PageTable.Map(page, e.Frame, e.Granted, copyOnWrite: true, zero: e.Zero);
        }
        foreach (var r in Reservations.All) child.Reservations.Add(new Sdk.VirtAddr.VirtRange(child, r.Start, r.Length));
        return child;
    }

    /// <summary>
    /// Resolves a write to the copy-on-write page holding <paramref name="va"/>: the last sharer gets write access
    /// back, the others a private copy of the frame. False if the page is not copy-on-write with a granted write,
    /// or if the copy finds no free frame (nothing changed then).
    /// </summary>
    public bool TryBreakCopyOnWrite(ulong va)
    {
        if (va >= PageTable.UserLimit || !PageTable.TryGet(va, out PageTableEntry e) || !e.DeferredWrite) return false;
        return BreakSharing(va & ~PageMask, e);
    }

    /// <summary>
    /// Maps private pages over [va, va+length) with rights <paramref name="rights"/>, filled from
    /// <paramref name="contents"/> and zero after it (a private file mapping: the caller read the file). The pages
    /// written (through <see cref="Poke"/>, which dirties them) lose the known-zero mark; pages past the contents keep it.
    /// False if out of memory, the range is invalid, or contents are longer than the range; nothing changes then.
    /// </summary>
    public bool MapPrivate(ulong va, ulong length, ReadOnlySpan<byte> contents, PageRights rights)
    {
        if ((ulong)contents.Length > length || !MapAnonymous(va, length, rights)) return false;
        return Poke(va, contents);
    }

    /// <summary>
    /// madvise(MADV_DONTNEED): makes every present page of [va, va+length) read as zeros, granted rights kept; absent
    /// pages stay absent. A page known to be zero (<see cref="PageTableEntry.Zero"/>) keeps its frame untouched; any
    /// other gets a fresh zeroed frame (known-zero) and drops its reference on the old one (a copy-on-write sharer
    /// keeps its copy). Returns the number of present pages in the range, or -1 if the range is invalid or memory
    /// runs out (pages before the failing one were discarded). Cost: one pass over the range's populated page-table
    /// leaves, plus a frame allocation per page written since it was mapped or last discarded.
    /// </summary>
    public long Discard(ulong va, ulong length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!TryPageRange(va, length, out ulong end)) return -1;
        long present = 0;
        for (ulong at = va; at < end && PageTable.NextPresentNotZero(at, end, ref present, out ulong page); at = page + PageSize)
            if (!ZeroPage(page)) return -1;
        return present;
    }

    // Remaps the present page at `page` (not known-zero) to a fresh zeroed frame with the same granted rights and
    // drops the old frame's reference. False if no frame is free (nothing changed then).
    private bool ZeroPage(ulong page)
    {
        if (!Frames.TryAllocate(out uint fresh)) return false;
        if (!PageTable.TryGet(page, out PageTableEntry now))
        {
            Frames.Free(fresh);     // reclaiming for the allocation unmapped the page: nothing left to zero
            return true;
        }
        PageTable.Map(page, fresh, now.Granted, copyOnWrite: false, zero: true);
        Frames.Free(now.Frame);
        return true;
    }

    /// <summary>Unmaps every page, drops every frame reference (a frame still shared with another space stays
    /// allocated) and releases every reservation. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        Unmap(0, PageTable.UserLimit);
        Reservations.Clear();
        _disposed = true;
    }

    // Stores src at va through the page table, requiring granted rights `need` on each page and
    // breaking copy-on-write sharing first, as the hart's write fault would.
    private bool Store(ulong va, ReadOnlySpan<byte> src, PageRights need)
    {
        while (!src.IsEmpty)
        {
            if (!TryWritablePage(va, need, out Span<byte> page)) return false;
            int n = Math.Min(page.Length, src.Length);
            src[..n].CopyTo(page);
            src = src[n..];
            va += (ulong)n;
        }
        return true;
    }

    // The bytes from va to the end of its page, if the page is present with at least `need` rights.
    // Marks it accessed (and for stores dirty, and no longer known-zero) as the MMU would.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryPage(ulong va, PageRights need, bool dirty, out Span<byte> bytes)
    {
        bytes = default;
        if (va >= PageTable.UserLimit) return false;
        ref PageTableEntry e = ref PageTable.Walk(va, create: false);
        if (Unsafe.IsNullRef(ref e) || !e.Present || (e.Rights & need) != need) return false;
        e.Accessed = true;
        if (dirty) { e.Dirty = true; e.Zero = false; }
        Debug.Assert(e.BitsConsistent, "Zero implies not Dirty");
        bytes = Frames.Memory.Frame(e.Frame)[(int)(va & PageMask)..];
        return true;
    }

    // The bytes from va to the end of its page for a kernel store needing granted rights `need`; a copy-on-write
    // page is made private first. False if absent, lacking the rights, or no frame is left for the copy.
    private bool TryWritablePage(ulong va, PageRights need, out Span<byte> bytes)
    {
        bytes = default;
        if (va >= PageTable.UserLimit || !PageTable.TryGet(va, out PageTableEntry e) || (e.Granted & need) != need) return false;
        if (e.CopyOnWrite && !BreakSharing(va & ~PageMask, e)) return false;
        return TryPage(va, PageRights.None, dirty: true, out bytes);
    }

    // Ends the copy-on-write sharing of the present page at `page` (entry e): keeps the frame if this space holds
    // the last reference, else maps a private copy and drops its reference on the shared one. False if no frame is free.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool BreakSharing(ulong page, PageTableEntry e)
    {
        if (Frames.RefCount(e.Frame) == 1)
        {
            PageTable.Protect(page, e.Granted, copyOnWrite: false);
            return true;
        }
        if (!Frames.TryAllocate(out uint copy)) return false;
        if (!PageTable.TryGet(page, out PageTableEntry now) || now.Frame != e.Frame)
        {
            Frames.Free(copy);      // reclaiming for the copy unmapped the page
            return false;
        }
        Frames.Memory.Frame(e.Frame).CopyTo(Frames.Memory.Frame(copy));
        PageTable.Map(page, copy, e.Granted, copyOnWrite: false);
        Frames.Free(e.Frame);
        return true;
    }

    // True if va is page-aligned and [va, va+length rounded up to pages) lies below UserLimit; end is that bound.
    private static bool TryPageRange(ulong va, ulong length, out ulong end)
    {
        end = 0;
        if ((va & PageMask) != 0 || va >= PageTable.UserLimit || length > PageTable.UserLimit - va) return false;
        end = (va + length + PageMask) & ~PageMask;
        return true;
    }
}
