using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Tests.Dispatcher;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Translation;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;
using MachineTrap = Spindle.Machine.Cpu.Trap;

namespace Spindle.Kernel.Tests.Translation;

/// <summary>The Translation service driven by real hart faults: the trap loop's part is played by RunToBreak.</summary>
public sealed unsafe class TranslationServiceTests : IDisposable
{
    private const ulong P = PhysicalMemory.PageSize;
    private const ulong Code = 0x10000, Data = 0x20000;
    private static readonly byte[] StoreThenBreak = [0x23, 0x30, 0x55, 0x00, 0x73, 0x00, 0x10, 0x00];  // sd t0, 0(a0); ebreak
    private static readonly byte[] LoadThenBreak = [0x03, 0x33, 0x05, 0x00, 0x73, 0x00, 0x10, 0x00];   // ld t1, 0(a0); ebreak
    private readonly PhysicalMemory _memory = new(64);
    private readonly FrameAllocator _frames;
    private readonly KernelDispatcher _dispatcher = new();
    private readonly PhysAddrService _phys;
    private readonly TranslationService _translation;
    private readonly TestOwner _ext = new("ext");

    public TranslationServiceTests()
    {
        _frames = new FrameAllocator(_memory);
        _phys = new PhysAddrService(_frames, _dispatcher);
        _translation = new TranslationService(_frames, _phys, _dispatcher);
    }

    public void Dispose() => _memory.Dispose();

    private AddressSpace NewSpace(byte[] code)
    {
        var space = (AddressSpace)_translation.Create();
        Assert.True(_translation.AddPrivateMapping(space, Code, P, code, Protection.Read | Protection.Execute));
        return space;
    }

    // Runs the program at Code with a0 = address until ebreak, resolving faults through HandleFault as the
    // trap loop does. Returns the first unresolved fault, or null if it reached the breakpoint.
    private MachineTrap? RunToBreak(AddressSpace space, ulong address, ulong t0 = 0x1122334455667788)
    {
        var hart = new Hart(_memory) { PageTable = space.PageTable };
        hart.Registers.Pc = Code;
        hart.Registers.X[10] = address;
        hart.Registers.X[5] = t0;
        for (int i = 0; i < 10; i++)
        {
            var trap = hart.Run(100);
            if (trap.Cause == TrapCause.Breakpoint) return null;
            Assert.Equal(TrapCause.PageFault, trap.Cause);
            if (_translation.HandleFault(space, trap) == FaultResult.Unresolved) return trap;
        }
        throw new Xunit.Sdk.XunitException("fault resolved but the instruction kept faulting");
    }

    private static ulong Read64(AddressSpace s, ulong va)
    {
        var b = new byte[8];
        Assert.True(s.CopyIn(va, b));
        return BitConverter.ToUInt64(b);
    }

    [Fact]
    public void ForkedSpacesDivergeThroughTheProtectionFault()
    {
        var parent = NewSpace(StoreThenBreak);
        Assert.True(_translation.AddAnonymousMapping(parent, Data, P, Protection.Read | Protection.Write));
        var child = (AddressSpace)_translation.ForkCopyOnWrite(parent)!;
        var seen = new List<PageFault>();
        _dispatcher.Install(_ext, _translation.ProtectionFault, f => { seen.Add(f); return FaultResult.Unresolved; });

        Assert.Null(RunToBreak(child, Data + 8, t0: 7));
        Assert.Null(RunToBreak(parent, Data + 8, t0: 9));
        Assert.Equal(7ul, Read64(child, Data + 8));
        Assert.Equal(9ul, Read64(parent, Data + 8));
        Assert.Equal(2, seen.Count);                                 // one write fault in each space
        Assert.Same(child, seen[0].Context);
        Assert.Equal(FaultAccess.Write, seen[0].Access);
        Assert.Equal(Data + 8, seen[0].Address);
        Assert.Equal(Code, seen[0].Pc);
        _translation.Destroy(parent);
        _translation.Destroy(child);
        Assert.Equal(64u, _frames.FreeFrames);
    }

    [Fact]
    public void UnmappedAddressesOutsideReservationsAreBadAddresses()
    {
        var space = NewSpace(LoadThenBreak);
        int bad = 0, absent = 0;
        _dispatcher.Install(_ext, _translation.BadAddress, _ => { bad++; return FaultResult.Unresolved; });
        _dispatcher.Install(_ext, _translation.PageNotPresent, _ => { absent++; return FaultResult.Unresolved; });
        var trap = RunToBreak(space, 0x8);                           // a null pointer
        Assert.NotNull(trap);
        Assert.Equal(0x8ul, trap.Value.Address);
        trap = RunToBreak(space, 0xffff_ffff_0000_0000);             // above the user limit
        Assert.NotNull(trap);
        Assert.Equal((2, 0), (bad, absent));
        var outside = new MachineTrap(TrapCause.PageFault, Code, PageTable.UserLimit + 5, AccessKind.Write);
        Assert.Equal(FaultResult.Unresolved, _translation.HandleFault(space, outside));
        Assert.Equal(3, bad);
        Assert.Equal(FaultResult.Unresolved, _translation.HandleFault(space, new MachineTrap(TrapCause.IllegalInstruction, Code)));
        Assert.Equal(3, bad);
    }

    [Fact]
    public void PageNotPresentHandlerPagesInAReservedRangeOnDemand()
    {
        var space = NewSpace(LoadThenBreak);
        var virt = new Spindle.Kernel.VirtAddr.VirtAddrService();
        var range = virt.Allocate(space, 16 * P, hint: 0x100000)!;
        int faults = 0;
        _dispatcher.Install(_ext, _translation.PageNotPresent, f =>
        {
            faults++;
            ulong page = f.Address & ~(P - 1);
            return _translation.AddPrivateMapping(f.Context, page, P, BitConverter.GetBytes(page), Protection.Read)
                ? FaultResult.Resolved : FaultResult.Unresolved;
        });
        Assert.Null(RunToBreak(space, range.Start + 3 * P));
        Assert.Null(RunToBreak(space, range.Start + 3 * P));         // mapped now: no second fault
        Assert.Equal(1, faults);
        Assert.Equal(range.Start + 3 * P, Read64(space, range.Start + 3 * P));
        Assert.NotNull(RunToBreak(space, range.End));                // just past the range: BadAddress
        Assert.Equal(1, faults);
    }

    [Fact]
    public void ProtectionFaultHandlerCanGrantTheRight()
    {
        // Appel and Li's pattern: a write to a protected page traps, the handler unprotects it and the write retries.
        var space = NewSpace(StoreThenBreak);
        Assert.True(_translation.AddAnonymousMapping(space, Data, P, Protection.Read));
        Assert.NotNull(RunToBreak(space, Data));                     // the intrinsic handler does not grant rights
        var binding = _dispatcher.Install(_ext, _translation.ProtectionFault,
            f => _translation.ChangeProtection(f.Context, f.Address & ~(P - 1), P, Protection.Read | Protection.Write)
                ? FaultResult.Resolved : FaultResult.Unresolved,
            f => f.Access == FaultAccess.Write);
        Assert.Null(RunToBreak(space, Data));
        Assert.Equal(0x1122334455667788ul, Read64(space, Data));
        binding.Uninstall();
        Assert.True(_translation.ChangeProtection(space, Data, P, Protection.Read));
        Assert.NotNull(RunToBreak(space, Data));
    }

    [Fact]
    public void ExamineMappingSeesReferencedAndDirtyBitsAgainAfterClearing()
    {
        var space = NewSpace(StoreThenBreak);
        Assert.True(_translation.AddAnonymousMapping(space, Data, 2 * P, Protection.Read | Protection.Write));
        Assert.True(_translation.ExamineMapping(space, Data, out var info));
        Assert.Equal(new MappingInfo(Protection.Read | Protection.Write, false, false, false), info);
        var hart = new Hart(_memory) { PageTable = space.PageTable };
        for (int round = 0; round < 2; round++)
        {
            hart.Registers.Pc = Code;
            hart.Registers.X[10] = Data;
            Assert.Equal(TrapCause.Breakpoint, hart.Run(100).Cause);
            Assert.True(_translation.ExamineMapping(space, Data, out info, clearReferenced: true, clearDirty: true));
            Assert.True(info.Referenced, $"round {round}");
            Assert.True(info.Dirty, $"round {round}");                 // the cached write tag was dropped by the clear
            Assert.True(_translation.ExamineMapping(space, Data, out info));
            Assert.False(info.Referenced || info.Dirty);
        }
        Assert.True(_translation.ExamineMapping(space, Data + P, out info));
        Assert.False(info.Referenced);
        Assert.False(_translation.ExamineMapping(space, Data + 2 * P, out _));
    }

    [Fact]
    public void PrivateMappingsAndDiscard()
    {
        var space = (AddressSpace)_translation.Create();
        var contents = Enumerable.Range(1, 5000).Select(i => (byte)i).ToArray();
        Assert.True(_translation.AddPrivateMapping(space, Data, 2 * P, contents, Protection.Read));
        var back = new byte[2 * P];
        Assert.True(space.CopyIn(Data, back));
        Assert.Equal(contents, back[..5000]);
        Assert.All(back[5000..], b => Assert.Equal(0, b));
        Assert.False(_translation.AddPrivateMapping(space, Data, P, contents, Protection.Read));   // contents longer than the range
        Assert.True(_translation.Discard(space, Data, 2 * P));
        Assert.True(space.CopyIn(Data, back));
        Assert.All(back, b => Assert.Equal(0, b));
        Assert.True(_translation.ExamineMapping(space, Data + P, out var info));
        Assert.Equal(Protection.Read, info.Protection);
        Assert.False(_translation.ExamineMapping(space, Data + 2 * P, out _));   // Discard maps nothing new
    }

    [Fact]
    public void DiscardInAForkedChildLeavesTheParentAlone()
    {
        var parent = (AddressSpace)_translation.Create();
        Assert.True(_translation.AddPrivateMapping(parent, Data, P, [1, 2, 3], Protection.Read | Protection.Write));
        var child = (AddressSpace)_translation.ForkCopyOnWrite(parent)!;
        Assert.True(_translation.Discard(child, Data, P));
        Assert.Equal(0ul, Read64(child, Data));
        Assert.Equal(0x030201ul, Read64(parent, Data));
        Assert.True(_translation.ExamineMapping(child, Data, out var info));
        Assert.False(info.CopyOnWrite);
    }

    [Fact]
    public void BadInputIsRefusedNotThrown()
    {
        var space = _translation.Create();
        var frame = _phys.Allocate(1)!;
        Assert.False(_translation.AddMapping(space, Data + 1, frame, Protection.Read));
        Assert.False(_translation.AddMapping(space, PageTable.UserLimit, frame, Protection.Read));
        Assert.False(_translation.AddMapping(space, Data, [], Protection.Read));
        Assert.False(_translation.AddMapping(space, Data, [null!], Protection.Read));
        Assert.False(_translation.RemoveMapping(space, Data + 1, P));
        Assert.False(_translation.RemoveMapping(space, PageTable.UserLimit - P, 2 * P));
        Assert.False(_translation.ChangeProtection(space, Data, P, Protection.Read));     // not mapped
        Assert.False(_translation.AddAnonymousMapping(space, 3, P, Protection.Read));
        Assert.False(_translation.Discard(space, 5, P));
        _translation.Destroy(space);
        _translation.Destroy(space);
        Assert.True(space.Destroyed);
        Assert.False(_translation.AddMapping(space, Data, frame, Protection.Read));
        Assert.False(_translation.AddAnonymousMapping(space, Data, P, Protection.Read));
        Assert.False(_translation.ExamineMapping(space, Data, out _));
        Assert.Null(_translation.ForkCopyOnWrite(space));
        Assert.Equal(FaultResult.Unresolved,
            _translation.HandleFault((AddressSpace)space, new MachineTrap(TrapCause.PageFault, Code, Data, AccessKind.Read)));
        var foreign = new AddressSpace(new FrameAllocator(_memory));
        Assert.False(_translation.AddAnonymousMapping(foreign, Data, P, Protection.Read));  // another allocator's context
    }
}
