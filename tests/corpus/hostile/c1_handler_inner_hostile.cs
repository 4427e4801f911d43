// expect: reject recursion
// class: 1
// (An exception made to wrap another is refused at build: InnerException chains recurse in the base library.)
// The handler throws a base-library exception whose InnerException is hostile (its Message, ToString and
// GetBaseException never return). Walking the chain is running extension code: the raise must return and
// the fault be charged.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class HostileInnerException : Exception
{
    public override string Message { get { Spin(); return "released"; } }
    public override string ToString() { Spin(); return "released"; }
    public override Exception GetBaseException() { Spin(); return this; }

    private static void Spin() { while (!Hang.Released) { } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class HandlerInnerHostile : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => throw new InvalidOperationException("outer", new HostileInnerException());
}
