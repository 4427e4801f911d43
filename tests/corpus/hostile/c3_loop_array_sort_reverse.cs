// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// Array.Sort then Array.Reverse of 500,000 ints, 100 times: each call is O(n) or O(n log n) base-library work.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LoopArraySortReverse : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var data = new int[500_000];
        for (int i = 0; i < 100; i++)
        {
            data[i] = -i;
            Array.Sort(data);
            Array.Reverse(data);
        }
        return data[0];
    }
}
