// expect: contained handler
// fault: allocation
// class: 4
// One call creates a List<long> with a capacity of 300,000,000 (2.4 GB) against an 8 MB budget.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocListCapacity : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        return new List<long>(300_000_000).Capacity;
    }
}
