using Spindle.Machine.Cpu.Jit;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

/// <summary>
/// How a <see cref="Hart"/> runs guest code: the interpreter of decoded blocks today, a compiler of hot regions
/// later (the model is Ryujinx's ICpuEngine). One engine instance belongs to one hart, is created by the hart
/// (<see cref="ExecutionEngineKind.Create"/>) and is driven only by the host thread that drives the hart.
/// The hart owns the architectural state (registers, page table, retired count); the engine owns what it
/// caches about it (TLB, decoded or compiled code, the LR reservation).
/// </summary>
/// <remarks>
/// Contract every engine keeps (tests/Spindle.Machine.Tests run the same suites on each registered engine):
/// <list type="bullet">
/// <item><see cref="Run"/> executes from the hart's pc until a trap (<see cref="Trap"/>: ecall, breakpoint, page
/// fault, illegal instruction, misaligned atomic) or until the budget is exhausted, retiring exactly the
/// instructions it reports in <see cref="Hart.InstructionsRetired"/>; traps are precise (the trapping
/// instruction retires nothing, pc stays on it).</item>
/// <item>Code coherence. Translated code never runs when the bytes it came from have changed:
/// (a) a store by the hart itself to a page holding translated code takes effect for the next instruction
/// fetched after it (self-modifying code works even without fence.i); (b) memory written by the kernel between
/// two calls of <see cref="Run"/> (system calls, the loader, frames freed and reused) is seen by the next Run;
/// (c) a change of mapping (munmap, mprotect, remap, a copy-on-write break) is learnt on entry to Run from the
/// page table's change log (<see cref="PageTable.TryGetChange"/>), and drops the translations (TLB entries and
/// code found through them) of the pages it touched; (d) fence.i, and <see cref="InvalidateCode"/> on behalf of
/// the kernel (riscv_flush_icache), drop every piece of translated code.</item>
/// <item>The LR reservation is cleared on every Run entry and on every context switch.</item>
/// </list>
/// Limitations: there is no range form of <see cref="InvalidateCode"/> and no notification of kernel writes
/// to frames holding code: (b) is kept by the engine itself (the interpreter compares a block's bytes with
/// memory the first time it runs in each Run call). A compiling engine that must not re-check large regions on
/// every entry will need such a notification from <see cref="PhysicalMemory"/>; it comes with that engine.
/// </remarks>
public interface IExecutionEngine
{
    /// <summary>The engine's kind name (as in <see cref="ExecutionEngines.All"/>).</summary>
    string Name { get; }

    /// <summary>
    /// Runs at most <paramref name="budget"/> instructions from the hart's pc; returns the trap that stopped it.
    /// Called by <see cref="Hart.Run"/> only, with a positive budget and an even pc.
    /// </summary>
    Trap Run(long budget);

    /// <summary>The hart switched to <paramref name="table"/> (its translation context): clears the LR reservation.
    /// Cached translations of other tables may be kept, if brought up to date with their change log before use.</summary>
    void ContextSwitched(PageTable? table);

    /// <summary>Drops every cached translation of the current page table.</summary>
    void FlushTranslations();

    /// <summary>Drops every piece of translated code (fence.i on behalf of the kernel).</summary>
    void InvalidateCode();

    /// <summary>What the engine compiled so far (zero for the interpreter).</summary>
    EngineStatistics Statistics { get; }

    /// <summary>True if the engine caches a translation of <paramref name="page"/> (page-aligned) for the current
    /// table; tests use it to see that invalidation is selective.</summary>
    bool CachesTranslation(ulong page);
}

/// <summary>What a compiling engine did: regions compiled, the time spent compiling them (on any thread), the
/// instructions retired in compiled code, the entries into compiled code from the interpreter's dispatch loop, and
/// the region runs in all (entries plus regions chained to without the dispatch loop).</summary>
public readonly record struct EngineStatistics(long CompiledRegions, TimeSpan CompileTime, long CompiledInstructions,
    long Entries = 0, long RegionRuns = 0);

/// <summary>A registered kind of execution engine: its name and how to build one for a hart.</summary>
public sealed class ExecutionEngineKind
{
    private readonly Func<Hart, IExecutionEngine> _create;

    internal ExecutionEngineKind(string name, Func<Hart, IExecutionEngine> create)
    {
        Name = name;
        _create = create;
    }

    /// <summary>The engine's name (for options, test names and reports).</summary>
    public string Name { get; }

    /// <summary>Builds an engine of this kind for <paramref name="hart"/> (called once, by the hart's constructor).</summary>
    internal IExecutionEngine Create(Hart hart) => _create(hart);

    public override string ToString() => Name;
}

/// <summary>The execution engines this machine offers; a hart is built with one of them.</summary>
public static class ExecutionEngines
{
    /// <summary>The interpreter of decoded basic blocks (the default).</summary>
    public static readonly ExecutionEngineKind Interpreter = new("interpreter", hart => new Interpreter(hart));

    /// <summary>The compiling engine: the interpreter first, hot regions compiled to IL in the background
    /// (Jit/RegionCompiler.cs).</summary>
    public static readonly ExecutionEngineKind Jit = new("jit", hart => new Interpreter(hart, new RegionCache(Jit!, RegionCache.DefaultThreshold)));

    /// <summary>The compiling engine forced: every block's region compiled before it first runs (for tests).</summary>
    public static readonly ExecutionEngineKind JitForced = new("jit-forced", hart => new Interpreter(hart, new RegionCache(JitForced!, 0)));

    /// <summary>Every registered engine; the machine tests run on each.</summary>
    public static IReadOnlyList<ExecutionEngineKind> All { get; } = [Interpreter, Jit, JitForced];

    /// <summary>The engine named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ExecutionEngineKind? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
