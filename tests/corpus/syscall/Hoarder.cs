using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Trap;

// Answers call 1004 by keeping 4 MB more in a static each time: its domain's memory quota ends it.
public sealed class Hoarder : IExtension
{
    private static readonly List<byte[]> Kept = new();

    public void Initialize(IExtensionContext context) =>
        context.Dispatcher.Install(context.Import<ITrapEvents>().Syscall, Hoard, t => t.Number == 1004);

    private static bool Hoard(SyscallTrap trap)
    {
        Kept.Add(new byte[4 << 20]);
        trap.Strand.Result = Kept.Count;
        return true;
    }
}
