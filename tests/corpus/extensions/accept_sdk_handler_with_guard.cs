// expect: accept
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;
public sealed class Echo : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        if (c.TryImport<IReadOnlyList<Event<int, int>>>(out var events))
            c.Dispatcher.Install(events[0], Handle, port => port == 7);
    }
    public static int Handle(int port) => port * 10;
}
