// expect: reject recursion
// class: 1
// (An exception made to wrap another is refused at build: InnerException chains recurse in the base library.)
// The handler throws a base-library AggregateException around a hostile exception: AggregateException.Message
// reads its inner exceptions' messages, so the kernel reading the (trusted-looking) outer message runs the
// hostile getter. The raise must return and the fault be charged.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LoopingMessageException : Exception
{
    public override string Message { get { while (!Hang.Released) { } return "released"; } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class HandlerAggregate : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => throw new AggregateException(new LoopingMessageException());
}
