// expect: contained handler
// fault: allocation
// class: 4
// One call makes new int[100,000,000] (400 MB) against an 8 MB budget: a newarr, which the instrumenter
// checks before it allocates. The control case: the meter fires with "allocation".
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocNewIntArray : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        return new int[100_000_000].Length;
    }
}
