// expect: contained handler
// fault: MembersThrowException
// class: 1
// The handler throws an exception whose every other virtual member (ToString, Data, StackTrace, Source,
// HelpLink, GetBaseException) throws. Whatever the kernel records or logs, nothing may escape the raise.
using System;
using System.Collections;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class MembersThrowException : Exception
{
    public MembersThrowException() : base("members throw") { }
    public override string ToString() => throw new InvalidOperationException("ToString");
    public override IDictionary Data => throw new InvalidOperationException("Data");
    public override string? StackTrace => throw new InvalidOperationException("StackTrace");
    public override string? Source { get => throw new InvalidOperationException("Source"); set => throw new InvalidOperationException("Source"); }
    public override string? HelpLink { get => throw new InvalidOperationException("HelpLink"); set => throw new InvalidOperationException("HelpLink"); }
    public override Exception GetBaseException() => throw new InvalidOperationException("GetBaseException");
}

public sealed class HandlerMembersThrow : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => throw new MembersThrowException();
}
