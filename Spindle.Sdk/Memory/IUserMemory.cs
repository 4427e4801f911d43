namespace Spindle.Sdk.Memory;

/// <summary>
/// The user address space of the calling strand, as an extension may touch it. Every access
/// checks page rights and reports a bad address as a false / negative result (EFAULT), never as
/// an exception. Ranges given to Map/Unmap/Protect must be page-aligned.
/// </summary>
public interface IUserMemory
{
    /// <summary>Size of a page in bytes.</summary>
    const int PageSize = 4096;

    /// <summary>First address above user space.</summary>
    ulong UserLimit { get; }

    /// <summary>Copies user bytes at <paramref name="va"/> into <paramref name="dest"/>; false if any byte is unmapped or not readable.</summary>
    bool CopyIn(ulong va, Span<byte> dest);

    /// <summary>Copies <paramref name="src"/> to user memory at <paramref name="va"/>; false if any byte is unmapped or not writable (a prefix may have been written).</summary>
    bool CopyOut(ulong va, ReadOnlySpan<byte> src);

    /// <summary>Reads a NUL-terminated string into <paramref name="dest"/> (at most dest.Length bytes, NUL excluded). Returns its length, -1 on a bad address, -2 if it does not fit.</summary>
    int ReadCString(ulong va, Span<byte> dest);

    /// <summary>Maps zeroed pages over [va, va+length), replacing what was there. False if out of memory or the range is not user space.</summary>
    bool Map(ulong va, ulong length, Protection protection);

    /// <summary>Unmaps [va, va+length); pages that were not mapped are skipped.</summary>
    void Unmap(ulong va, ulong length);

    /// <summary>
    /// Makes every mapped page of [va, va+length) read as zeros, its rights kept; unmapped pages stay unmapped
    /// (madvise(MADV_DONTNEED) on private memory). va must be page-aligned; length is rounded up to whole pages.
    /// A page never written since it was mapped or last discarded keeps its frame and costs only a page-table
    /// lookup; any other page gets a fresh zeroed frame (memory shared copy-on-write with another process is left to it).
    /// Returns the number of mapped pages in the range, or -1 if the range is not page-aligned user space or memory
    /// runs out (pages before the failing one may already be discarded).
    /// </summary>
    long Discard(ulong va, ulong length);

    /// <summary>Changes the rights of [va, va+length). False (and nothing changed) if any page is unmapped.</summary>
    bool Protect(ulong va, ulong length, Protection protection);

    /// <summary>The rights granted on the page holding <paramref name="va"/> (a write that copy-on-write defers counts as granted); false if it is not mapped.</summary>
    bool TryGetProtection(ulong va, out Protection protection);

    /// <summary>
    /// True if every page of [va, va+length) is mapped with write granted, so a copy-out there will succeed.
    /// A call that consumes data (a pipe read) checks first, so that EFAULT loses nothing. Empty ranges are writable.
    /// </summary>
    bool IsWritable(ulong va, ulong length)
    {
        if (length == 0) return true;
        ulong end = va + length;
        if (end < va || end > UserLimit) return false;
        for (ulong page = va & ~(ulong)(PageSize - 1); page < end; page += PageSize)
            if (!TryGetProtection(page, out Protection p) || (p & Protection.Write) == 0) return false;
        return true;
    }

    /// <summary>Lowest page-aligned address in [hint, limit) where length bytes are all unmapped; 0 if there is none.</summary>
    ulong FindFree(ulong length, ulong hint, ulong limit);
}
