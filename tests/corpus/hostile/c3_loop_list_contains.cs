// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// List.Contains over 800,000 ints for a value that is not there, 3,000 times.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LoopListContains : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var list = new List<int>(new int[800_000]);
        int hits = 0;
        for (int i = 0; i < 3_000; i++) if (list.Contains(-1)) hits++;
        return hits;
    }
}
