using System.Runtime.CompilerServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

// Instruction fetch: the per-frame decoded-block cache and the slow path of block lookup (page
// change, missing or stale block, and an instruction crossing the page end).
internal sealed unsafe partial class Interpreter
{
    // Above this many decoded pages the whole cache is dropped.
    private const int MaxCodePages = 1024;

    private readonly Dictionary<uint, CodePage> _codePages = new();

    // A one-instruction block for an instruction crossing a page end, decoded afresh each time.
    private readonly byte[] _scratchStore = GC.AllocateArray<byte>(Block.AllocationSize(1, 0), pinned: true);
    private Block* Scratch => (Block*)Unsafe.AsPointer(ref _scratchStore[0]);

    // The block table of "no page": every slot empty, so any pc that seems to fall in a non-current page
    // (NoPage) finds no block and goes through EnterSlow, which translates it.
    private static readonly Block** s_noBlocks = (Block**)System.Runtime.InteropServices.NativeMemory.AllocZeroed(PageSize / 2, (nuint)sizeof(Block*));

    // The page EnterSlow made current: its virtual address, block table and host address.
    private ulong _enteredPage;
    private Block** _enteredEntries;
    private byte* _enteredHost;
    private uint _enteredFrame;

    // Advanced whenever code bytes may have changed behind the decoded blocks: on every Run entry
    // (the kernel may have written memory) and on every hart write to a frame holding decoded code.
    // A block stamped with the current epoch runs without comparing its bytes with memory.
    private ulong _codeEpoch;

    // Drops every decoded block (fence.i, here or on behalf of the kernel).
    public void InvalidateCode()
    {
        _codePages.Clear();
        _regions?.Clear();
        TranslationsChanged();
        _enteredEntries = s_noBlocks;
        for (int i = 0; i < TlbSize * TlbSets; i++) _tlbSets[i].Code = null;
    }

    // A page address that makes 'pc - page' huge for this pc, forcing the loop into EnterSlow.
    private static ulong NoPage(ulong pc) => (pc & ~PageMask) ^ (1UL << 63);

    // Returns the valid block at pc when the executor's fast path could not (other page, no block, or
    // a block last validated in an older code epoch): translates pc for execute, makes its page
    // current (_entered*), and revalidates or (re)builds the block, stamping it with the epoch. An
    // instruction crossing into the next page comes back as the scratch block (page then stays
    // non-current). Returns null with a recorded page fault (address: pc, or the next page).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private Block* EnterSlow(ulong pc)
    {
        ulong page = pc & ~PageMask;
        TlbEntry* e = _tlb + ((pc >> PhysicalMemory.PageShift) & TlbMask);
        if (e->ExecTag != page && (e = Fill(pc, AccessKind.Execute)) == null) return null;
        if (e->Code == null) e->Code = CodeFor(e->Frame).Entries;
        byte* host = (byte*)(page + e->Addend);
        _enteredPage = page;
        _enteredEntries = e->Code;
        _enteredHost = host;
        _enteredFrame = e->Frame;

        int off = (int)(pc - page);
        Block* b = e->Code[off >> 1];
        if (b == null || !Block.Matches(b, host + off)) b = _codePages[e->Frame].Build(host, off);
        if (b != null)
        {
            b->Epoch = _codeEpoch;
            return b;
        }

        uint bits = *(ushort*)(host + off);
        byte* next = HostAddress(page + PageSize, AccessKind.Execute);
        if (next == null) return null;
        bits |= (uint)*(ushort*)next << 16;
        _enteredPage = NoPage(pc);
        _enteredEntries = s_noBlocks;
        Block* s = Scratch;
        s->Count = 1;
        s->Bytes = 0;
        *Block.First(s) = Decoder.Decode(bits);
        return s;
    }

    // Execute's in-place check of block b at byte offset off of the current page, found in an older code
    // epoch (after every Run entry, and after a store to code): true, with b stamped with the current
    // epoch, if its bytes are still those in memory. Its translation needs no new check: EnterSlow made the
    // page current during this Execute call (each call starts with no page current), and translations
    // change only between calls.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Revalidate(Block* b, int off)
    {
        if (!Block.Matches(b, _enteredHost + off)) return false;
        b->Epoch = _codeEpoch;
        return true;
    }

    // The decoded-code page of a frame, created empty on first use (which revokes the frame's TLB write tags).
    private CodePage CodeFor(uint frame)
    {
        if (!_codePages.TryGetValue(frame, out CodePage? cp))
        {
            if (_codePages.Count >= MaxCodePages) InvalidateCode();
            cp = new CodePage();
            _codePages.Add(frame, cp);
            for (int i = 0; i < TlbSize * TlbSets; i++)
                if (_tlbSets[i].Frame == frame) _tlbSets[i].WriteTag = TlbEntry.Invalid;   // writes must now go through Fill
        }
        return cp;
    }
}
