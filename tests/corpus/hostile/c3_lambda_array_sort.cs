// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// Array.Sort with a Comparison lambda that is a leaf, on 100,000 ints, 200 times (reversed each time).
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LambdaArraySort : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var data = new int[100_000];
        for (int i = 0; i < 200; i++)
        {
            data[i] = i;
            Array.Reverse(data);
            Array.Sort(data, (x, y) => y - x);
        }
        return data[0];
    }
}
