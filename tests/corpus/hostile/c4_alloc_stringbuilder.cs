// expect: contained handler
// fault: allocation
// class: 4
// One call appends 400,000,000 copies of a char to a StringBuilder (800 MB of chunks) against an 8 MB budget.
using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocStringBuilder : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        return new StringBuilder().Append('x', 400_000_000).Length;
    }
}
