// expect: contained handler
// fault: MessageRecursesException
// class: 1
// The handler throws an exception whose Message getter recurses without end. The kernel must not run it
// where its recursion is unchecked, and must charge the fault.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class MessageRecursesException : Exception
{
    public override string Message => Deeper(0);

    private static string Deeper(int n) => Deeper(n + 1) + "!";
}

public sealed class HandlerMessageRecurses : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => throw new MessageRecursesException();
}
