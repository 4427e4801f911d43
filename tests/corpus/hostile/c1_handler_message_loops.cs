// expect: contained handler
// fault: MessageLoopsException
// class: 1
// The handler throws an exception whose Message getter never returns. Reading it is running extension code:
// the kernel must not do it unmetered, and the fault must still be charged.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class MessageLoopsException : Exception
{
    public override string Message { get { while (!Hang.Released) { } return "released"; } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class HandlerMessageLoops : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => throw new MessageLoopsException();
}
