using System.Runtime.CompilerServices;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.PhysAddr;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Memory;
using Spindle.Sdk.PhysAddr;
using Spindle.Sdk.Translation;

namespace Spindle.Kernel.Translation;

/// <summary>
/// SPIN's Translation service: contexts are <see cref="AddressSpace"/>s over one <see cref="FrameAllocator"/>,
/// and the machine's page faults become the events PageNotPresent, BadAddress and ProtectionFault.
/// The trap loop calls <see cref="HandleFault"/> for every page-fault trap. Contexts follow AddressSpace's
/// threading rule (one kernel strand at a time); the events may be raised from any strand.
/// </summary>
public sealed class TranslationService : ITranslationService
{
    private const ulong PageMask = PhysicalMemory.PageMask;
    private static readonly KernelOwner s_self = new("translation");
    private readonly FrameAllocator _frames;
    private readonly PhysAddrService _physAddr;

    /// <summary>A service whose contexts take frames from <paramref name="frames"/>, whose frame capabilities come from
    /// <paramref name="physAddr"/>, and whose events are declared on <paramref name="dispatcher"/>.</summary>
    public TranslationService(FrameAllocator frames, PhysAddrService physAddr, Dispatcher.Dispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(physAddr);
        ArgumentNullException.ThrowIfNull(dispatcher);
        _frames = frames;
        _physAddr = physAddr;
        var options = new EventOptions<PageFault, FaultResult>
        {
            Combine = static (a, b) => a == FaultResult.Resolved ? a : b,
            Authorizer = AuthorizeFaultHandler,
        };
        PageNotPresent = dispatcher.Declare(s_self, "Translation.PageNotPresent", static _ => FaultResult.Unresolved, out _, options);
        BadAddress = dispatcher.Declare(s_self, "Translation.BadAddress", static _ => FaultResult.Unresolved, out _, options);
        ProtectionFault = dispatcher.Declare(s_self, "Translation.ProtectionFault", BreakCopyOnWrite, out _, options);
    }

    /// <summary>
    /// Set by the kernel's extension manager: for an extension domain's name, true and the one context whose
    /// faults its handlers may see (null: none); false for kernel modules, whose installs are taken as asked.
    /// </summary>
    public ExtensionFaultScope? ExtensionScope { get; set; }

    // Authorizer of the three fault events: an extension's handler runs only for faults of the program that
    // loaded it (an imposed, indexable guard), so it can neither claim nor watch another program's faults.
    private Authorization<PageFault> AuthorizeFaultHandler(InstallRequest<PageFault> request)
    {
        if (ExtensionScope is not { } scope || !scope(request.Installer, out TranslationContext? program))
            return Authorization<PageFault>.Accept();
        if (program is null)
            return Authorization<PageFault>.Refuse("an extension handles faults only for the program that loaded it, and none did");
        return Authorization<PageFault>.AcceptWith(f => f.Context == program);
    }

    /// <inheritdoc/>
    public Event<PageFault, FaultResult> PageNotPresent { get; }

    /// <inheritdoc/>
    public Event<PageFault, FaultResult> BadAddress { get; }

    /// <inheritdoc/>
    public Event<PageFault, FaultResult> ProtectionFault { get; }

    /// <summary>
    /// The trap loop's entry for a page-fault trap taken in <paramref name="space"/>: raises the event the fault
    /// calls for (see <see cref="ITranslationService"/>) and returns Resolved if the instruction may run again
    /// (a handler fixed the translation, or it was already fixed), Unresolved if the fault goes on to the
    /// trap events' fault event with <see cref="Machine.Cpu.Trap.Address"/> (the personality turns it into a signal). A trap that is not a page fault is Unresolved.
    /// </summary>
    public FaultResult HandleFault(AddressSpace space, Machine.Cpu.Trap trap)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (trap.Cause != TrapCause.PageFault || space.Destroyed) return FaultResult.Unresolved;
        var fault = new PageFault(space, trap.Address, (FaultAccess)trap.Access, trap.Pc);
        if (trap.Address >= PageTable.UserLimit) return BadAddress.Raise(fault);
        if (!space.PageTable.TryGet(trap.Address, out PageTableEntry e))
            return space.Reservations.Find(trap.Address) != null ? PageNotPresent.Raise(fault) : BadAddress.Raise(fault);
        if ((e.Rights & Need(trap.Access)) != 0) return FaultResult.Resolved;   // fixed since the trap (another strand)
        return ProtectionFault.Raise(fault);
    }

    /// <inheritdoc/>
    public TranslationContext Create() => new AddressSpace(_frames);

    /// <inheritdoc/>
    public void Destroy(TranslationContext context) => Space(context)?.Dispose();

    /// <inheritdoc/>
    public bool AddMapping(TranslationContext context, ulong va, IReadOnlyList<PhysFrame> frames, Protection protection)
    {
        if (Space(context) is not { } space || frames == null || frames.Count == 0) return false;
        if (!IsPageRange(va, (ulong)frames.Count << PhysicalMemory.PageShift)) return false;
        foreach (var f in frames)
            if (f == null || !_physAddr.IsActive(f)) return false;
        for (int i = 0; i < frames.Count; i++)
        {
            ulong page = va + ((ulong)i << PhysicalMemory.PageShift);
            if (!_physAddr.TryAttach(frames[i], space, page, out uint number)) return false;  // reclaimed meanwhile
            space.MapFrame(page, number, (PageRights)protection);
        }
        return true;
    }

    /// <inheritdoc/>
    public bool AddAnonymousMapping(TranslationContext context, ulong va, ulong length, Protection protection) =>
        Space(context) is { } space && space.MapAnonymous(va, length, (PageRights)protection);

    /// <inheritdoc/>
    public bool AddPrivateMapping(TranslationContext context, ulong va, ulong length, ReadOnlySpan<byte> contents, Protection protection) =>
        Space(context) is { } space && space.MapPrivate(va, length, contents, (PageRights)protection);

    /// <inheritdoc/>
    public bool RemoveMapping(TranslationContext context, ulong va, ulong length)
    {
        if (Space(context) is not { } space || !IsPageRange(va, length)) return false;
        space.Unmap(va, length);
        return true;
    }

    /// <inheritdoc/>
    public bool ExamineMapping(TranslationContext context, ulong va, out MappingInfo info, bool clearReferenced = false, bool clearDirty = false)
    {
        info = default;
        if (Space(context) is not { } space || !space.PageTable.TryGet(va, out PageTableEntry e)) return false;
        info = new MappingInfo((Protection)e.Granted, e.Accessed, e.Dirty, e.CopyOnWrite);
        if (clearReferenced || clearDirty) space.PageTable.ClearAccessedDirty(va, clearReferenced, clearDirty);
        return true;
    }

    /// <inheritdoc/>
    public bool ChangeProtection(TranslationContext context, ulong va, ulong length, Protection protection) =>
        Space(context) is { } space && space.Protect(va, length, (PageRights)protection);

    /// <inheritdoc/>
    public bool Discard(TranslationContext context, ulong va, ulong length) =>
        Space(context) is { } space && space.Discard(va, length) >= 0;

    /// <inheritdoc/>
    public TranslationContext? ForkCopyOnWrite(TranslationContext parent) => Space(parent)?.ForkCopyOnWrite();

    // The intrinsic ProtectionFault handler: a write to a copy-on-write page gets a writable page.
    private static FaultResult BreakCopyOnWrite(PageFault f) =>
        f.Access == FaultAccess.Write && f.Context is AddressSpace space && space.TryBreakCopyOnWrite(f.Address)
            ? FaultResult.Resolved : FaultResult.Unresolved;

    // The live context of this service that `context` names, or null.
    private AddressSpace? Space(TranslationContext context) =>
        context is AddressSpace { Destroyed: false } space && space.Frames == _frames ? space : null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PageRights Need(AccessKind access) =>
        access switch { AccessKind.Read => PageRights.Read, AccessKind.Write => PageRights.Write, _ => PageRights.Execute };

    // True if va is page-aligned and [va, va+length) is a non-empty user range.
    private static bool IsPageRange(ulong va, ulong length) =>
        (va & PageMask) == 0 && length != 0 && va < PageTable.UserLimit && length <= PageTable.UserLimit - va;
}

/// <summary>Tells whether <paramref name="installer"/> is an extension domain and, if so, the program context it serves (null: none).</summary>
public delegate bool ExtensionFaultScope(string installer, out TranslationContext? program);
