using Spindle.Kernel.PhysAddr;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Translation;

// SKELETON: the memory/ELF helper replaces the bodies; the public surface is the contract.
/// <summary>
/// One user address space: a page table plus the frames it owns. Page-granular operations;
/// regions and policies (brk, mmap placement) belong to the personality that uses it.
/// All ranges must be page-aligned unless stated; addresses at or above PageTable.UserLimit are refused.
/// </summary>
public sealed class AddressSpace : IDisposable
{
    public AddressSpace(FrameAllocator frames) { Frames = frames; }
    public FrameAllocator Frames { get; }
    public PageTable PageTable => throw new NotImplementedException();

    /// <summary>Maps fresh zeroed frames over [va, va+length), replacing (and freeing) existing pages. False if out of memory or range invalid.</summary>
    public bool MapAnonymous(ulong va, ulong length, PageRights rights) => throw new NotImplementedException();
    /// <summary>Unmaps [va, va+length) and frees its frames; absent pages are skipped.</summary>
    public void Unmap(ulong va, ulong length) => throw new NotImplementedException();
    /// <summary>Changes rights on [va, va+length). False if any page in the range is not mapped (nothing changed then).</summary>
    public bool Protect(ulong va, ulong length, PageRights rights) => throw new NotImplementedException();
    /// <summary>True if every page of [va, va+length) is mapped.</summary>
    public bool IsMapped(ulong va, ulong length) => throw new NotImplementedException();
    /// <summary>Lowest page-aligned address at or above <paramref name="hint"/> (and below <paramref name="limit"/>) where length bytes are unmapped; 0 if none.</summary>
    public ulong FindFree(ulong length, ulong hint, ulong limit) => throw new NotImplementedException();

    /// <summary>Copies user memory into <paramref name="dest"/>; false (EFAULT) if any byte is unmapped or not readable. Any alignment.</summary>
    public bool CopyIn(ulong va, Span<byte> dest) => throw new NotImplementedException();
    /// <summary>Copies <paramref name="src"/> into user memory; false (EFAULT) if any byte is unmapped or not writable. Nothing partial is promised on failure.</summary>
    public bool CopyOut(ulong va, ReadOnlySpan<byte> src) => throw new NotImplementedException();
    /// <summary>Writes regardless of page rights (loader use: filling read-only segments). False if unmapped.</summary>
    public bool Poke(ulong va, ReadOnlySpan<byte> src) => throw new NotImplementedException();
    /// <summary>Reads a NUL-terminated string of at most <paramref name="max"/> bytes (excluding NUL). Returns bytes read, -1 on EFAULT, -2 if longer than max.</summary>
    public int ReadCString(ulong va, Span<byte> dest, int max) => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
