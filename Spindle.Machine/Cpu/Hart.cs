using System.Diagnostics;
using System.Runtime.CompilerServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

/// <summary>
/// One RV64GC hart running in user mode: an interpreter over per-frame decoded basic blocks, with a
/// software TLB in front of the current <see cref="Memory.PageTable"/>.
/// Not thread-safe: one host thread drives a hart.
/// </summary>
public sealed unsafe partial class Hart
{
    private const int TlbBits = 10;
    private const int TlbSize = 1 << TlbBits;
    private const ulong TlbMask = TlbSize - 1;
    private const int TlbSets = 4;              // address spaces whose translations stay cached across switches

    // Pinned storage so that the interpreter loop works on raw pointers without fixed statements.
    private readonly RegisterFile[] _regStore = GC.AllocateArray<RegisterFile>(1, pinned: true);
    private readonly TlbEntry[] _tlbStore = GC.AllocateArray<TlbEntry>(TlbSize * TlbSets, pinned: true);
    private readonly RegisterFile* _regs;
    private readonly TlbEntry* _tlbSets;        // TlbSets sets of TlbSize entries, one per recent page table
    private TlbEntry* _tlb;                     // the current table's set

    private PageTable? _pageTable;
    private long _tlbTableId = -1, _tlbGeneration = -1;   // what the current set was filled under
    private ulong _retired;
    private readonly long _timeBase = Stopwatch.GetTimestamp();

    // The LR reservation (address and size); cleared on every Run entry and context switch.
    private bool _reserved;
    private ulong _reservedAddress;
    private int _reservedSize;

    // Set by a helper that makes the current instruction trap; Execute builds the Trap from them.
    private TrapCause _faultCause;
    private ulong _faultAddress;
    private AccessKind _faultAccess;
    private uint _faultInstruction;

    /// <summary>Creates a hart over <paramref name="memory"/> with zeroed registers and no page table.</summary>
    public Hart(PhysicalMemory memory)
    {
        Memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _regs = (RegisterFile*)Unsafe.AsPointer(ref _regStore[0]);
        _tlbSets = _tlb = (TlbEntry*)Unsafe.AsPointer(ref _tlbStore[0]);
        for (int i = 0; i < TlbSize * TlbSets; i++) _tlbSets[i].Clear();
    }

    public PhysicalMemory Memory { get; }

    /// <summary>The saved/current user context. Valid to read and write between calls to Run.</summary>
    public ref RegisterFile Registers => ref *_regs;

    /// <summary>
    /// The translation context the hart runs in. Setting it switches context and clears any LR reservation;
    /// the translations of the last few tables stay cached (as with ASIDs) and are brought up to date with
    /// the table's changes on the next <see cref="Run"/>.
    /// </summary>
    public PageTable? PageTable
    {
        get => _pageTable;
        set { _pageTable = value; _reserved = false; SelectTlbSet(value); }
    }

    /// <summary>Instructions retired since the hart was created.</summary>
    public ulong InstructionsRetired => _retired;

    /// <summary>
    /// Runs at most <paramref name="budget"/> instructions; returns the trap that stopped it.
    /// Drops the TLB entries of pages the page table changed since it was filled, and clears the LR
    /// reservation (as Linux does on every return to user mode). A budget of 0 or less returns
    /// a Budget trap at once; an odd pc returns MisalignedAccess (Execute) at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Trap Run(long budget)
    {
        ref RegisterFile r = ref *_regs;
        if (budget <= 0) return new Trap(TrapCause.Budget, r.Pc);
        if ((r.Pc & 1) != 0) return new Trap(TrapCause.MisalignedAccess, r.Pc, r.Pc, AccessKind.Execute);
        PageTable? pt = _pageTable;
        if (pt != null && (pt.Id != _tlbTableId || pt.Generation != _tlbGeneration)) CatchUpTlb(pt);
        _reserved = false;
        _codeEpoch++;
        r.X[0] = 0;
        return Execute(budget);
    }

    /// <summary>Drops every cached translation of the current page table.</summary>
    public void FlushTlb()
    {
        for (int i = 0; i < TlbSize; i++) _tlb[i].Clear();
        _tlbTableId = _pageTable?.Id ?? -1;
        _tlbGeneration = _pageTable?.Generation ?? -1;
    }

    // Records a trap for the instruction being executed; always returns false (for "return Fault(...)").
    private bool Fault(TrapCause cause, ulong address = 0, AccessKind access = AccessKind.Read, uint instruction = 0)
    {
        _faultCause = cause;
        _faultAddress = address;
        _faultAccess = access;
        _faultInstruction = instruction;
        return false;
    }

    // 10 MHz ticks since the hart was created (the time CSR).
    private ulong TimeTicks()
    {
        long t = Stopwatch.GetTimestamp() - _timeBase;
        long freq = Stopwatch.Frequency;
        return (ulong)(t / freq * 10_000_000 + t % freq * 10_000_000 / freq);
    }
}
