using System.Runtime.CompilerServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

/// <summary>Whether <see cref="Interpreter"/>'s loop tiers up to compiled regions (a type argument, so that the
/// plain interpreter's loop carries no test for it).</summary>
internal interface ITiering
{
    static abstract bool Enabled { get; }
}

internal struct Untiered : ITiering { public static bool Enabled => false; }

internal struct Tiered : ITiering { public static bool Enabled => true; }

// The interpreter as the first tier of the compiling engine (Jit/CompilingEngine.cs): the hooks its loop calls
// when tiered, and the slow paths compiled regions call. Everything here runs on the hart's thread; the
// background compiler sees only the page snapshots RequestRegion hands it.
internal sealed unsafe partial class Interpreter
{
    private readonly Jit.RegionCache? _regions;

    // The chaining cache: a region entered at a virtual pc under the current translations (stamp), so that a region
    // leaving to a pc whose region is cached goes on there without the dispatch loop. Stamped rather than cleared:
    // TranslationsChanged (a context switch, a TLB flush or catch-up, fence.i) makes every entry stale at once.
    private const int JumpBits = 12;
    private readonly Jump[] _jumps = [];
    private ulong _jumpStamp = 1;

    private struct Jump
    {
        public ulong Pc, Stamp;
        public Jit.Region Region;
    }

    /// <summary>An interpreter that tiers up to the regions of <paramref name="regions"/>.</summary>
    internal Interpreter(Hart hart, Jit.RegionCache regions) : this(hart)
    {
        _regions = regions;
        _jumps = new Jump[1 << JumpBits];
        regions.Owner = this;
    }

    // Translations of virtual pcs may have changed (or code was dropped): no cached jump is to be trusted.
    private void TranslationsChanged() => _jumpStamp++;

    // Runs the compiled region of block b (at pc, in the current page; b current in this code epoch) with at most
    // `left` instructions, and then, chained, the regions cached for the pcs it leaves to (same translations, same
    // code epoch), until one leaves to a pc without one, makes no progress, traps or the budget is spent. The
    // region's own bytes are compared with memory once per code epoch; a region whose bytes changed is dropped
    // from b (b counts its hits afresh). Returns the retired count (0: no progress, b is to be interpreted) or its
    // complement after a trap (pc and the trap recorded).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long EnterRegion(Block* b, ulong pc, long left, ulong retiredBase)
    {
        Jit.Region? region = _regions!.Find(b->Region, _enteredFrame, (int)(pc - _enteredPage));
        if (region == null || (region.Epoch != _codeEpoch && !region.Matches(_enteredHost)))
        {
            b->Region = 0;
            b->Hits = 0;
            return 0;
        }
        region.Epoch = _codeEpoch;
        ref Jump entry = ref _jumps[(pc >> 1) & ((1 << JumpBits) - 1)];
        (entry.Pc, entry.Stamp, entry.Region) = (pc, _jumpStamp, region);

        long done = 0, runs = 0;
        _regions.Entries++;
        for (; ; )
        {
            runs++;
            long r = region.Code(_regs, pc, left - done, retiredBase + (ulong)done);
            if (r < 0)
            {
                done += ~r;
                _regions.Retired += done;
                _regions.Runs += runs;
                return ~done;
            }
            done += r;
            if (r == 0 || done >= left) break;
            pc = _regs->Pc;
            ref Jump next = ref _jumps[(pc >> 1) & ((1 << JumpBits) - 1)];
            if (next.Pc != pc || next.Stamp != _jumpStamp || next.Region.Epoch != _codeEpoch) break;
            region = next.Region;
        }
        _regions.Retired += done;
        _regions.Runs += runs;
        return done;
    }

    // Block b at pc (current page) became hot: hands a snapshot of its frame to the region cache.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RequestRegion(Block* b, ulong pc)
    {
        var snapshot = new ReadOnlySpan<byte>(_enteredHost, PageSize);
        Jit.Region? now = _regions!.Request(_enteredFrame, (int)(pc - _enteredPage), snapshot, _codeEpoch);
        if (now != null) b->Region = now.Id;
    }

    // Attaches the regions compiled in the background since the last Run to the blocks they start at (a block
    // decoded afresh since the request gets it too; a frame no longer decoded drops it).
    private void InstallCompiledRegions()
    {
        while (_regions!.TryTakeCompiled(out Jit.Region? region))
        {
            if (!_codePages.TryGetValue(region.Frame, out CodePage? page)) continue;
            Block* b = page.Entries[region.Head >> 1];
            if (b != null) b->Region = region.Id;
        }
    }

    /// <summary>A compiled region's store slow path: 0 after a page fault (recorded, nothing written), 1 after the
    /// store, 2 after a store that may have written code (the region must leave after it).</summary>
    internal int CompiledStoreSlow(ulong va, ulong value, int size)
    {
        ulong epoch = _codeEpoch;
        bool ok = size switch
        {
            1 => StoreSlow(va, (byte)value),
            2 => StoreSlow(va, (ushort)value),
            4 => StoreSlow(va, (uint)value),
            _ => StoreSlow(va, value),
        };
        return !ok ? 0 : _codeEpoch != epoch ? 2 : 1;
    }

    /// <summary>A compiled region's LR/SC/AMO: 0 after a trap (recorded, nothing changed), 1 when done, 2 when done
    /// by a write that may have written code (the region must leave after it, as the interpreter ends its block).</summary>
    internal int CompiledAtomic(Decoded* d)
    {
        ulong epoch = _codeEpoch;
        return !ExecAtomic(d) ? 0 : _codeEpoch != epoch ? 2 : 1;
    }

    /// <summary>A compiled region's trap at an ecall, ebreak or illegal instruction: records it (the region then
    /// leaves with the trapping instruction's pc).</summary>
    internal void CompiledTrap(TrapCause cause, uint instruction) => Fault(cause, instruction: instruction);

    /// <summary>The current TLB set (compiled regions read it once on entry; it changes only between runs).</summary>
    internal TlbEntry* CurrentTlb => _tlb;
}
