using System.Runtime.CompilerServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

/// <summary>
/// The interpreter engine: runs a <see cref="Hart"/> over per-frame decoded basic blocks (<see cref="Block"/>),
/// with a software TLB (<see cref="TlbEntry"/>) in front of the hart's page table. Keeps the
/// <see cref="IExecutionEngine"/> contract as follows: a hart store to a frame holding decoded code takes the slow
/// path and advances the code epoch; every Run entry advances it too (the kernel may have written memory); a block
/// stamped with an older epoch is compared with memory before it runs. Mapping changes reach the TLB from the page
/// table's change log on Run entry. Driven by the hart's thread only.
/// </summary>
internal sealed unsafe partial class Interpreter : IExecutionEngine
{
    private const int TlbBits = 10;
    private const int TlbSize = 1 << TlbBits;
    internal const ulong TlbMask = TlbSize - 1;
    private const int TlbSets = 4;              // address spaces whose translations stay cached across switches

    private readonly Hart _hart;
    private readonly PhysicalMemory _memory;

    // Pinned storage so that the interpreter loop works on raw pointers without fixed statements.
    private readonly TlbEntry[] _tlbStore = GC.AllocateArray<TlbEntry>(TlbSize * TlbSets, pinned: true);
    private readonly RegisterFile* _regs;       // the hart's pinned register file
    private readonly TlbEntry* _tlbSets;        // TlbSets sets of TlbSize entries, one per recent page table
    private TlbEntry* _tlb;                     // the current table's set

    private PageTable? _pageTable;
    private long _tlbTableId = -1, _tlbGeneration = -1;   // what the current set was filled under

    // The LR reservation (address and size); cleared on every Run entry and context switch.
    private bool _reserved;
    private ulong _reservedAddress;
    private int _reservedSize;

    // Set by a helper that makes the current instruction trap; Execute builds the Trap from them.
    private TrapCause _faultCause;
    private ulong _faultAddress;
    private AccessKind _faultAccess;
    private uint _faultInstruction;

    public Interpreter(Hart hart)
    {
        _hart = hart;
        _memory = hart.Memory;
        _regs = hart.RegistersPointer;
        _tlbSets = _tlb = (TlbEntry*)Unsafe.AsPointer(ref _tlbStore[0]);
        for (int i = 0; i < TlbSize * TlbSets; i++) _tlbSets[i].Clear();
    }

    public string Name => _regions?.Kind.Name ?? ExecutionEngines.Interpreter.Name;

    /// <summary>
    /// Drops the TLB entries of pages the page table changed since it was filled, clears the LR reservation
    /// (as Linux does on every return to user mode), starts a new code epoch, and interprets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Trap Run(long budget)
    {
        PageTable? pt = _pageTable;
        if (pt != null && (pt.Id != _tlbTableId || pt.Generation != _tlbGeneration)) CatchUpTlb(pt);
        _reserved = false;
        _codeEpoch++;
        _regs->X[0] = 0;
        if (_regions == null) return Execute<Untiered>(budget);
        InstallCompiledRegions();
        return Execute<Tiered>(budget);
    }

    public EngineStatistics Statistics => _regions?.Statistics ?? default;

    public void ContextSwitched(PageTable? table)
    {
        TranslationsChanged();
        _pageTable = table;
        _reserved = false;
        SelectTlbSet(table);
    }

    public void FlushTranslations()
    {
        TranslationsChanged();
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
}
