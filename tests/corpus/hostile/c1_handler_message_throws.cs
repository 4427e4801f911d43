// expect: contained handler
// fault: MessageThrowsException
// class: 1
// The handler throws an exception whose Message getter throws. The kernel must charge the fault (its record
// names the type) without running the getter outside containment or letting its exception escape the raise.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class MessageThrowsException : Exception
{
    public override string Message => throw new InvalidOperationException("hostile Message getter");
}

public sealed class HandlerMessageThrows : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => throw new MessageThrowsException();
}
