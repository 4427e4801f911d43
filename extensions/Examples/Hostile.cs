using Spindle.Sdk;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Examples;

/// <summary>
/// A hostile extension, to show containment: takes over call 1002 and loops forever in its handler.
/// The meter cuts each call off (the call keeps the personality's answer, -ENOSYS); after its domain's
/// fault limit the kernel destroys the domain. The program never notices more than a slow call.
/// </summary>
public sealed class Hostile : IExtension
{
    /// <inheritdoc/>
    public void Initialize(IExtensionContext context) =>
        context.Dispatcher.Install(context.Import<ITrapEvents>().Syscall, Spin, t => t.Number == 1002);

    private static bool Spin(SyscallTrap trap)
    {
        long n = 0;
        while (true) n++;
    }
}
