// expect: contained handler
// fault: allocation
// class: 4
// One call creates a Dictionary<int, int> with a capacity of 100,000,000 (about 2 GB of buckets and entries)
// against an 8 MB budget.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocDictionaryCapacity : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        return new Dictionary<int, int>(100_000_000).Count;
    }
}
