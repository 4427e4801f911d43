// expect: reject recursion
// class: 1
// (An exception made to wrap another is refused at build: InnerException chains recurse in the base library.)
// The handler throws 20,000 AggregateExceptions nested in one another (built in a loop, well inside the
// allocation budget). AggregateException.Message recurses into its inner exceptions' messages with a
// stackalloc per level: read by the kernel, it overflows the kernel's stack. The kernel must charge the
// fault without recursing on the chain.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class HandlerAggregateDeep : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        Exception e = new InvalidOperationException("bottom");
        for (int i = 0; i < 20_000; i++) e = new AggregateException(e);
        throw e;
    }
}
