// expect: contained handler
// fault: MembersLoopException
// class: 1
// The handler throws an exception whose ToString, Data, StackTrace, Source, HelpLink and GetBaseException
// never return. The kernel must not call them unmetered; the raise returns and the fault is charged.
using System;
using System.Collections;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class MembersLoopException : Exception
{
    public MembersLoopException() : base("members loop") { }
    public override string ToString() { Spin(); return "released"; }
    public override IDictionary Data { get { Spin(); return new Dictionary<string, string>(); } }
    public override string? StackTrace { get { Spin(); return null; } }
    public override string? Source { get { Spin(); return null; } set => Spin(); }
    public override string? HelpLink { get { Spin(); return null; } set => Spin(); }
    public override Exception GetBaseException() { Spin(); return this; }

    private static void Spin() { while (!Hang.Released) { } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class HandlerMembersLoop : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => throw new MembersLoopException();
}
