using BenchmarkDotNet.Attributes;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Translation;

namespace Spindle.Bench.Translation;

/// <summary>
/// One protection-fault round trip done SPIN's way, in process, on the kernel's own objects: read-protect a page
/// through the Translation service, run a guest store to it (page fault), hand the trap to
/// <see cref="TranslationService.HandleFault"/>, whose ProtectionFault handler (a metered extension owner's,
/// guarded by the ExtensionScope authorizer on the faulting context) unprotects the page, and run the store again
/// to the ebreak after it. The parts are measured alone too: the protect/unprotect pair, the kernel's fault
/// handling without the hart (protect, then HandleFault), and a guest run that does not fault.
/// The memory diagnoser must show 0 B per operation.
/// Run: dotnet run -c Release --project bench/Spindle.Bench -- --filter '*FaultBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public unsafe class FaultBenchmarks
{
    private const int Ops = 1_000;
    private const ulong Code = 0x10000, Data = 0x20000, Page = PhysicalMemory.PageSize;
    private const uint StoreX5AtX6 = 0x0053_3023, Ebreak = 0x0010_0073;   // sd x5, 0(x6); ebreak

    private PhysicalMemory _memory = null!;
    private TranslationService _translation = null!;
    private AddressSpace _space = null!;
    private Hart _hart = null!;

    /// <summary>An extension domain's handler owner: metered, so the dispatcher arms the meter around each call.</summary>
    private sealed class MeteredOwner : IHandlerOwner
    {
        public string Name => "bench-extension";
        public long Fuel => 1_000_000;
        public void ChargeFault(Exception fault) => throw new InvalidOperationException("the bench handler faulted", fault);
    }

    [GlobalSetup]
    public void Setup()
    {
        _memory = new PhysicalMemory(64);
        var frames = new FrameAllocator(_memory);
        var dispatcher = new Kernel.Dispatcher.Dispatcher();
        _translation = new TranslationService(frames, new PhysAddrService(frames, dispatcher), dispatcher);
        _space = (AddressSpace)_translation.Create();
        if (!_space.MapAnonymous(Code, Page, PageRights.ReadExecute) || !_space.MapAnonymous(Data, Page, PageRights.ReadWrite))
            throw new InvalidOperationException("cannot map the bench pages");
        _space.Poke(Code, [.. BitConverter.GetBytes(StoreX5AtX6), .. BitConverter.GetBytes(Ebreak)]);
        var owner = new MeteredOwner();
        AddressSpace program = _space;
        _translation.ExtensionScope = (string installer, out TranslationContext? context) =>
        {
            context = installer == owner.Name ? program : null;
            return context != null;
        };
        dispatcher.Install(owner, _translation.ProtectionFault, Unprotect);
        _hart = new Hart(_memory) { PageTable = _space.PageTable };
        _hart.Registers.X[6] = Data;
        RoundTrip();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _space.Dispose();
        _memory.Dispose();
    }

    // The extension's handler: make the faulting page writable again.
    private FaultResult Unprotect(PageFault f) =>
        _translation.ChangeProtection(f.Context, f.Address & ~(Page - 1), Page, Protection.Read | Protection.Write)
            ? FaultResult.Resolved : FaultResult.Unresolved;

    /// <summary>Protect, fault, the handler unprotects, re-run: one op is one whole round trip.</summary>
    [Benchmark(OperationsPerInvoke = Ops, Baseline = true)]
    public void FaultRoundTrip()
    {
        for (int i = 0; i < Ops; i++) RoundTrip();
    }

    /// <summary>Read-protect and unprotect the page (two protection changes, no fault).</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public void ProtectUnprotect()
    {
        for (int i = 0; i < Ops; i++)
        {
            _translation.ChangeProtection(_space, Data, Page, Protection.Read);
            _translation.ChangeProtection(_space, Data, Page, Protection.Read | Protection.Write);
        }
    }

    /// <summary>Run the store and ebreak with the page writable: the guest re-entry alone, no fault.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public void RunWithoutFault()
    {
        for (int i = 0; i < Ops; i++) Expect(Run(), TrapCause.Breakpoint);
    }

    /// <summary>HandleFault on a read-protected page, whose handler unprotects it: the kernel's fault handling and
    /// the guarded, metered dispatch to the extension without the hart (each op protects the page again first).</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public void HandleFaultOnly()
    {
        var fault = new Trap(TrapCause.PageFault, Code, Data, AccessKind.Write);
        for (int i = 0; i < Ops; i++)
        {
            _translation.ChangeProtection(_space, Data, Page, Protection.Read);
            if (_translation.HandleFault(_space, fault) != FaultResult.Resolved) throw new InvalidOperationException("fault not resolved");
        }
    }

    // One round trip; throws if any step went otherwise than planned.
    private void RoundTrip()
    {
        _translation.ChangeProtection(_space, Data, Page, Protection.Read);
        Trap fault = Run();
        Expect(fault, TrapCause.PageFault);
        if (_translation.HandleFault(_space, fault) != FaultResult.Resolved) throw new InvalidOperationException("fault not resolved");
        Expect(Run(), TrapCause.Breakpoint);
    }

    private Trap Run()
    {
        _hart.Registers.Pc = Code;
        return _hart.Run(16);
    }

    private static void Expect(Trap t, TrapCause cause)
    {
        if (t.Cause != cause) throw new InvalidOperationException($"expected {cause}, got {t}");
    }
}
