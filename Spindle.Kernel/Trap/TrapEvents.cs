using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Trap;

/// <summary>
/// The user trap events, declared by the kernel. Each intrinsic handler is uninstalled at once, so the
/// default handler answers until a personality installs its own: a system call gets -ENOSYS, a fault
/// is unhandled (the strand is killed), return-to-user has nothing to deliver.
/// </summary>
public sealed class TrapEvents : ITrapEvents
{
    private static readonly KernelOwner Owner = new("trap");

    /// <summary>Declares the events on <paramref name="dispatcher"/>.</summary>
    public TrapEvents(Dispatcher.Dispatcher dispatcher)
    {
        Syscall = Declare<SyscallTrap>(dispatcher, Owner, "Trap.Syscall", static t => { t.Strand.Result = -Errno.ENOSYS; return false; });
        Fault = Declare<UserFault>(dispatcher, Owner, "Trap.Fault", static _ => false);
        ReturnToUser = Declare<IUserStrand>(dispatcher, Owner, "Trap.ReturnToUser", static _ => false);
        Exited = Declare<IUserStrand>(dispatcher, Owner, "Trap.Exited", static _ => false);
    }

    public Event<SyscallTrap, bool> Syscall { get; }
    public Event<UserFault, bool> Fault { get; }
    public Event<IUserStrand, bool> ReturnToUser { get; }
    public Event<IUserStrand, bool> Exited { get; }

    // Declares `owner`'s event whose answer, until a handler is installed, is fallback.
    internal static Event<T, bool> Declare<T>(Dispatcher.Dispatcher d, KernelOwner owner, string name, Func<T, bool> fallback)
    {
        var ev = d.Declare(owner, name, fallback, out var intrinsic, new EventOptions<T, bool> { Default = fallback });
        intrinsic.Uninstall();
        return ev;
    }
}
