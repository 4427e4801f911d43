using Spindle.Sdk;
using Spindle.Sdk.Trap;

// Answers call 1005 by spinning forever: the meter cuts each call off, the fault limit ends the domain.
public sealed class Spinner : IExtension
{
    public void Initialize(IExtensionContext context) =>
        context.Dispatcher.Install(context.Import<ITrapEvents>().Syscall, Spin, t => t.Number == 1005);

    private static bool Spin(SyscallTrap trap)
    {
        long n = 0;
        while (true) n++;
    }
}
