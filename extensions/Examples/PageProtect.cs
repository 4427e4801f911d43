using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Translation;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Examples;

/// <summary>
/// Appel and Li's virtual-memory primitives done SPIN's way: the program that loads this extension
/// (spindle_ext_load) changes its page rights, handles its protection faults and reads its dirty bits in the
/// kernel, through the Translation service, with no Linux layer and no signal in between. Three calls, each with
/// a0 = -ENOSYS (left there when no extension of the caller answers) and its arguments in a1-a3:
/// <list type="bullet">
/// <item><c>1010 protect(addr, length, prot)</c> (prot: PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4): 0, or -EINVAL
/// for an unaligned or empty range, rights beyond rwx, or a range with an unmapped page.</item>
/// <item><c>1011 fault_mode(region, length, mode)</c>: from now on a protection fault in [region, region+length) is
/// resolved in the kernel: mode 1 unprotects the page (read-write), mode 2 (Appel1) also read-protects the page
/// unprotected before; mode 0 resolves nothing (the program gets SIGSEGV). Returns how many faults were resolved
/// since the previous fault_mode call, or -EINVAL for a bad mode or an unaligned region.</item>
/// <item><c>1012 dirty(addr, clear)</c>: 1 if the page was written since its dirty bit was last cleared, else 0,
/// clearing the bit if clear is nonzero; -EINVAL if the page is not mapped.</item>
/// </list>
/// The extension belongs to the program that loaded it: the first call from a strand whose context the
/// extension's Translation service accepts records that context; the fault handler is guarded on it, and calls
/// from other programs are left to their own extensions.
/// </summary>
public sealed class PageProtect : IExtension
{
    /// <summary>The protect call's number; fault_mode and dirty follow it.</summary>
    public const long Number = 1010;

    private const long FaultModeCall = Number + 1, DirtyCall = Number + 2;
    private const long EINVAL = 22;
    private const ulong PageMask = IUserMemory.PageSize - 1;

    private enum Mode : ulong { Off, Unprotect, Appel1 }

    private ITranslationService _translation = null!;
    private IDispatcher _dispatcher = null!;
    private TranslationContext? _context;     // the loading program's, once it called
    private Mode _mode;
    private ulong _regionStart, _regionEnd;
    private ulong _lastUnprotected = ulong.MaxValue;   // Appel1: the page the handler unprotected last
    private long _resolved;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _translation = context.Import<ITranslationService>();
        _dispatcher = context.Dispatcher;
        var traps = context.Import<ITrapEvents>();
        _dispatcher.Install(traps.Syscall, Protect, t => t.Number == Number);
        _dispatcher.Install(traps.Syscall, SetFaultMode, t => t.Number == FaultModeCall);
        _dispatcher.Install(traps.Syscall, Dirty, t => t.Number == DirtyCall);
    }

    // protect(a1 = addr, a2 = length, a3 = prot): 0, or -EINVAL with nothing changed.
    private bool Protect(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        ulong addr = s.Arg1, length = s.Arg2, prot = s.Arg3;
        bool valid = (addr & PageMask) == 0 && length != 0 && prot <= 7;
        s.Result = valid && _translation.ChangeProtection(_context!, addr, length, (Protection)prot) ? 0 : -EINVAL;
        return true;
    }

    // fault_mode(a1 = region, a2 = length, a3 = mode): the faults resolved since the last call, or -EINVAL.
    private bool SetFaultMode(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        ulong start = s.Arg1, length = s.Arg2;
        if (s.Arg3 > (ulong)Mode.Appel1 || (start & PageMask) != 0 || length > ulong.MaxValue - start) { s.Result = -EINVAL; return true; }
        (_mode, _regionStart, _regionEnd, _lastUnprotected) = ((Mode)s.Arg3, start, start + length, ulong.MaxValue);
        s.Result = _resolved;
        _resolved = 0;
        return true;
    }

    // dirty(a1 = addr, a2 = clear): the page's dirty bit, or -EINVAL if it is not mapped.
    private bool Dirty(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        s.Result = _translation.ExamineMapping(_context!, s.Arg1 & ~PageMask, out var info, clearDirty: s.Arg2 != 0)
            ? (info.Dirty ? 1 : 0) : -EINVAL;
        return true;
    }

    // The ProtectionFault handler (guarded on the program's context): resolves a fault in the region as the mode says.
    private FaultResult OnProtectionFault(PageFault f)
    {
        if (_mode == Mode.Off || f.Address < _regionStart || f.Address >= _regionEnd) return FaultResult.Unresolved;
        ulong page = f.Address & ~PageMask;
        if (!_translation.ChangeProtection(f.Context, page, IUserMemory.PageSize, Protection.Read | Protection.Write)) return FaultResult.Unresolved;
        if (_mode == Mode.Appel1)
        {
            if (_lastUnprotected != ulong.MaxValue) _translation.ChangeProtection(f.Context, _lastUnprotected, IUserMemory.PageSize, Protection.Read);
            _lastUnprotected = page;
        }
        _resolved++;
        return FaultResult.Resolved;
    }

    // True if `s` belongs to the program that loaded this extension. The first strand whose context the
    // Translation service accepts (its code page can be examined) is that program's: its context is recorded
    // and the fault handler installed, guarded on it.
    private bool IsOwner(IUserStrand s)
    {
        if (_context is not null) return ReferenceEquals(s.Context, _context);
        if (s.Context is not { } context || !_translation.ExamineMapping(context, s.Pc & ~PageMask, out _)) return false;
        _context = context;
        _dispatcher.Install(_translation.ProtectionFault, OnProtectionFault, f => f.Context == context);
        return true;
    }
}
