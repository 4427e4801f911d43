// expect: contained handler
// fault: allocation
// class: 4
// One call pads the empty string to 400,000,000 chars (800 MB) against an 8 MB budget.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocPadLeft : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        return "".PadLeft(400_000_000).Length;
    }
}
