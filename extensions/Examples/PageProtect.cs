using Spindle.Sdk;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Examples;

/// <summary>
/// Appel and Li's protection calls done SPIN's way: system call 1010 changes the rights of the calling
/// program's pages in the kernel, through the strand's memory capability, with no Linux layer in between.
/// <c>syscall(1010, 0, addr, length, prot)</c> (prot: PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4) returns 0,
/// or -22 (EINVAL) for an unaligned or empty range, rights beyond rwx, or a range with an unmapped page.
/// The arguments are in a1-a3 because a0 holds the personality's -ENOSYS by the time this handler runs
/// (it is installed after the personality's, so its result is the one the program sees).
/// </summary>
public sealed class PageProtect : IExtension
{
    /// <summary>The system-call number taken over.</summary>
    public const long Number = 1010;

    private const long EINVAL = 22;
    private const ulong PageMask = IUserMemory.PageSize - 1;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        var traps = context.Import<ITrapEvents>();
        context.Dispatcher.Install(traps.Syscall, Protect, t => t.Number == Number);
    }

    // protect(a1 = addr, a2 = length, a3 = prot): 0, or -EINVAL with nothing changed.
    private static bool Protect(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        ulong addr = s.Arg1, length = s.Arg2, prot = s.Arg3;
        bool valid = (addr & PageMask) == 0 && length != 0 && prot <= 7;
        s.Result = valid && s.Memory.Protect(addr, length, (Protection)prot) ? 0 : -EINVAL;
        return true;
    }
}
