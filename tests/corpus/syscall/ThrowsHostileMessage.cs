using System;
using Spindle.Sdk;
using Spindle.Sdk.Trap;

// Answers call 1003 by throwing an exception whose Message (and ToString, and Data) loop forever.
public sealed class ThrowsHostileMessage : IExtension
{
    public void Initialize(IExtensionContext context) =>
        context.Dispatcher.Install(context.Import<ITrapEvents>().Syscall, Handle, t => t.Number == 1003);

    private static bool Handle(SyscallTrap trap) => throw new Poisoned();

    private sealed class Poisoned : Exception
    {
        public override string Message { get { while (true) { } } }
        public override string ToString() { while (true) { } }
        public override System.Collections.IDictionary Data => throw new Poisoned();
    }
}
