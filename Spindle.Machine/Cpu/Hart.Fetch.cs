using System.Runtime.CompilerServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

// Instruction fetch: the per-frame decoded-code cache and the slow fetch path (page change, and
// the last halfword of a page, where a 32-bit instruction may cross into the next page).
public sealed unsafe partial class Hart
{
    // Above this many decoded pages the whole cache is dropped (bounds memory at ~32 MiB).
    private const int MaxCodePages = 1024;

    private readonly Dictionary<uint, CodePage> _codePages = new();

    /// <summary>Drops cached decoded instructions (fence.i on behalf of the kernel).</summary>
    public void FlushDecodedCode()
    {
        _codePages.Clear();
        for (int i = 0; i < TlbSize; i++) _tlb[i].Code = null;
    }

    // A page address that makes 'pc - page' huge for this pc, forcing the loop into FetchSlow.
    private static ulong NoPage(ulong pc) => (pc & ~PageMask) ^ (1UL << 63);

    // Re-decodes a slot whose cached bits no longer match memory.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Redecode(Decoded* d, uint w) => *d = Decoder.Decode(w);

    // Fetches the instruction at pc when it is not in the loop's current page (or is the page's last
    // halfword): translates pc for execute, makes its page current and returns its decoded entry.
    // An instruction crossing into the next page is decoded into a scratch entry each time.
    // Returns null with a recorded page fault (address: pc, or the next page for a crossing fetch).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Decoded* FetchSlow(ulong pc, ref ulong pageVa, ref byte* host, ref Decoded* code)
    {
        ulong page = pc & ~PageMask;
        TlbEntry* e = _tlb + ((pc >> PhysicalMemory.PageShift) & TlbMask);
        if (e->ExecTag != page && (e = Fill(pc, AccessKind.Execute)) == null) return null;
        if (e->Code == null) e->Code = CodeFor(e->Frame);
        pageVa = page;
        host = (byte*)(page + e->Addend);
        code = e->Code;

        ulong off = pc - page;
        if (off < PageSize - 2)
        {
            Decoded* d = code + (off >> 1);
            uint w = *(uint*)(host + off);
            if ((w & (uint.MaxValue >> d->Shift)) != d->Raw) Redecode(d, w);
            return d;
        }
        uint bits = *(ushort*)(host + off);
        if ((bits & 3) == 3)
        {
            byte* next = HostAddress(page + PageSize, AccessKind.Execute);
            if (next == null) return null;
            bits |= (uint)*(ushort*)next << 16;
        }
        *_scratch = Decoder.Decode(bits);
        return _scratch;
    }

    // The decoded-code page of a frame, created empty on first use.
    private Decoded* CodeFor(uint frame)
    {
        if (!_codePages.TryGetValue(frame, out CodePage? cp))
        {
            if (_codePages.Count >= MaxCodePages) FlushDecodedCode();
            cp = new CodePage();
            _codePages.Add(frame, cp);
        }
        return cp.Slot0;
    }
}
