using System.Diagnostics;
using System.Runtime.CompilerServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

// Data accesses: TLB fast paths, TLB fill from the page table, misaligned and page-crossing slow paths.
internal sealed unsafe partial class Interpreter
{
    private const ulong PageMask = PhysicalMemory.PageMask;
    private const int PageSize = PhysicalMemory.PageSize;

    // Where to load a naturally aligned T from: its host address on a read-tag hit, else LoadSlow's.
    // Returns null with a recorded page fault. (A pointer rather than an out value keeps the
    // interpreter's locals out of memory.)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T* LoadAddress<T>(ulong va) where T : unmanaged
    {
        TlbEntry* e = _tlb + ((va >> PhysicalMemory.PageShift) & TlbMask);
        if ((va & (~PageMask | (ulong)(sizeof(T) - 1))) == e->ReadTag) return (T*)(va + e->Addend);
        return (T*)LoadSlow(va, sizeof(T));
    }

    // Stores a naturally aligned T through the write tag (never present for a frame holding decoded
    // code); anything else goes to StoreSlow. Returns the host address written, StoredSlow after a
    // slow-path store (which may have written code), or 0 with a recorded page fault and nothing written.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private nuint Store<T>(ulong va, T value) where T : unmanaged
    {
        TlbEntry* e = _tlb + ((va >> PhysicalMemory.PageShift) & TlbMask);
        if ((va & (~PageMask | (ulong)(sizeof(T) - 1))) == e->WriteTag)
        {
            nuint p = (nuint)(va + e->Addend);
            *(T*)p = value;
            return p;
        }
        return StoreSlow(va, value) ? StoredSlow : 0;
    }

    // Store's result for a store that took the slow path.
    private const nuint StoredSlow = 1;

    // TLB miss, misaligned or page-crossing load of 'size' bytes. A crossing load translates both
    // pages first. Returns the address of the bytes (in the page, or gathered into the pinned load
    // buffer, valid until the next slow load), or null with a recorded page fault.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte* LoadSlow(ulong va, int size)
    {
        int first = PageSize - (int)(va & PageMask);
        byte* p = HostAddress(va, AccessKind.Read);
        if (p == null || first >= size) return p;
        byte* q = HostAddress(va + (ulong)first, AccessKind.Read);
        if (q == null) return null;
        byte* b = (byte*)Unsafe.AsPointer(ref _loadBuffer[0]);
        for (int i = 0; i < size; i++) b[i] = i < first ? p[i] : q[i - first];
        return b;
    }

    private readonly ulong[] _loadBuffer = GC.AllocateArray<ulong>(1, pinned: true);

    // TLB miss, clean page, misaligned or page-crossing store. A crossing store translates both pages before writing.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool StoreSlow<T>(ulong va, T value) where T : unmanaged
    {
        int first = PageSize - (int)(va & PageMask);
        byte* p = HostAddress(va, AccessKind.Write);
        if (p == null) return false;
        if (first >= sizeof(T))
        {
            Unsafe.WriteUnaligned(p, value);
            return true;
        }
        byte* q = HostAddress(va + (ulong)first, AccessKind.Write);
        if (q == null) return false;
        byte* b = (byte*)&value;
        for (int i = 0; i < sizeof(T); i++) (i < first ? p : q - first)[i] = b[i];
        return true;
    }

    // Host address of va for an access of the given kind (any alignment within the page), or null
    // with a recorded page fault.
    private byte* HostAddress(ulong va, AccessKind kind)
    {
        ulong page = va & ~PageMask;
        TlbEntry* e = _tlb + ((va >> PhysicalMemory.PageShift) & TlbMask);
        ulong tag = kind switch { AccessKind.Read => e->ReadTag, AccessKind.Write => e->WriteTag, _ => e->ExecTag };
        if (tag != page && (e = Fill(va, kind)) == null) return null;
        return (byte*)(va + e->Addend);
    }

    // Walks the page table for va and installs the page's TLB entry, setting Accessed (and, for a write,
    // Dirty and clearing Zero: every hart store, AMO and SC reaches a page through here first). Tags are installed for every right the page grants, the write tag only once the page is
    // dirty and never for a frame holding decoded code: every hart write to such a frame comes here
    // and advances the code epoch, so that decoded blocks are revalidated before they run again.
    // Returns the entry, or null with a recorded page fault if the page is absent or lacks the right.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TlbEntry* Fill(ulong va, AccessKind kind)
    {
        PageTable? pt = _pageTable;
        PageRights need = kind switch { AccessKind.Read => PageRights.Read, AccessKind.Write => PageRights.Write, _ => PageRights.Execute };
        if (pt == null || va >= PageTable.UserLimit) { Fault(TrapCause.PageFault, va, kind); return null; }
        ref PageTableEntry pte = ref pt.Walk(va, create: false);
        if (Unsafe.IsNullRef(ref pte) || !pte.Present || (pte.Rights & need) == 0 || pte.Frame >= _memory.FrameCount)
        {
            Fault(TrapCause.PageFault, va, kind);
            return null;
        }
        pte.Accessed = true;
        if (kind == AccessKind.Write) { pte.Dirty = true; pte.Zero = false; }
        Debug.Assert(pte.BitsConsistent, "Zero implies not Dirty");

        ulong page = va & ~PageMask;
        TlbEntry* e = _tlb + ((va >> PhysicalMemory.PageShift) & TlbMask);
        if (e->Frame != pte.Frame) e->Code = null;
        e->Frame = pte.Frame;
        e->Addend = (ulong)_memory.FramePointer(pte.Frame) - page;
        e->ReadTag = (pte.Rights & PageRights.Read) != 0 ? page : TlbEntry.Invalid;
        bool code = _codePages.ContainsKey(pte.Frame);
        if (code && kind == AccessKind.Write) _codeEpoch++;
        e->WriteTag = (pte.Rights & PageRights.Write) != 0 && pte.Dirty && !code ? page : TlbEntry.Invalid;
        e->ExecTag = (pte.Rights & PageRights.Execute) != 0 ? page : TlbEntry.Invalid;
        return e;
    }
}
