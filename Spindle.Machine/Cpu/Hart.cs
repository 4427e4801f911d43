using System.Diagnostics;
using System.Runtime.CompilerServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

/// <summary>
/// One RV64GC hart running in user mode: the architectural state (registers, translation context, retired count,
/// time) in front of the <see cref="IExecutionEngine"/> that runs guest code on it, chosen when the hart is built.
/// Not thread-safe: one host thread drives a hart.
/// </summary>
public sealed unsafe class Hart
{
    /// <summary>User CSR numbers: fflags, frm, fcsr (read-write); cycle, time, instret (read-only).</summary>
    public const int CsrFflags = 0x001, CsrFrm = 0x002, CsrFcsr = 0x003;
    /// <inheritdoc cref="CsrFflags"/>
    public const int CsrCycle = 0xC00, CsrTime = 0xC01, CsrInstret = 0xC02;

    // Pinned so that engines work on a raw pointer without fixed statements.
    private readonly RegisterFile[] _regStore = GC.AllocateArray<RegisterFile>(1, pinned: true);
    private readonly long _timeBase = Stopwatch.GetTimestamp();
    private PageTable? _pageTable;

    /// <summary>Creates a hart over <paramref name="memory"/> with zeroed registers and no page table, running
    /// guest code with <paramref name="engine"/> (the interpreter if null).</summary>
    public Hart(PhysicalMemory memory, ExecutionEngineKind? engine = null)
    {
        Memory = memory ?? throw new ArgumentNullException(nameof(memory));
        RegistersPointer = (RegisterFile*)Unsafe.AsPointer(ref _regStore[0]);
        Engine = (engine ?? ExecutionEngines.Interpreter).Create(this);
    }

    public PhysicalMemory Memory { get; }

    /// <summary>The engine that runs guest code on this hart.</summary>
    public IExecutionEngine Engine { get; }

    /// <summary>The register file, pinned for the hart's lifetime (engines run on it directly).</summary>
    internal RegisterFile* RegistersPointer { get; }

    /// <summary>Instructions retired since the hart was created; only the engine advances it.</summary>
    internal ulong Retired;

    /// <summary>The saved/current user context. Valid to read and write between calls to Run.</summary>
    public ref RegisterFile Registers => ref *RegistersPointer;

    /// <summary>
    /// The translation context the hart runs in. Setting it switches context and clears any LR reservation;
    /// the engine may keep the translations of the last few tables cached (as with ASIDs), brought up to date
    /// with the table's changes on the next <see cref="Run"/>.
    /// </summary>
    public PageTable? PageTable
    {
        get => _pageTable;
        set { _pageTable = value; Engine.ContextSwitched(value); }
    }

    /// <summary>Instructions retired since the hart was created.</summary>
    public ulong InstructionsRetired => Retired;

    /// <summary>
    /// Runs at most <paramref name="budget"/> instructions; returns the trap that stopped it (see
    /// <see cref="IExecutionEngine"/> for what every engine guarantees). A budget of 0 or less returns
    /// a Budget trap at once; an odd pc returns MisalignedAccess (Execute) at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Trap Run(long budget)
    {
        ulong pc = RegistersPointer->Pc;
        if (budget <= 0) return new Trap(TrapCause.Budget, pc);
        if ((pc & 1) != 0) return new Trap(TrapCause.MisalignedAccess, pc, pc, AccessKind.Execute);
        return Engine.Run(budget);
    }

    /// <summary>Drops cached decoded or compiled code (fence.i on behalf of the kernel).</summary>
    public void FlushDecodedCode() => Engine.InvalidateCode();

    /// <summary>10 MHz ticks since the hart was created (the time CSR).</summary>
    internal ulong TimeTicks()
    {
        long t = Stopwatch.GetTimestamp() - _timeBase;
        long freq = Stopwatch.Frequency;
        return (ulong)(t / freq * 10_000_000 + t % freq * 10_000_000 / freq);
    }
}
