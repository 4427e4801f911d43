// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// Array.IndexOf over 1,500,000 ints for a value that is not there, 2,000 times: 3 billion comparisons in the
// base library for 2,000 units of fuel. A base-library call must be charged for the size it works on.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LoopArrayIndexOf : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var data = new int[1_500_000];
        int found = 0;
        for (int i = 0; i < 2_000; i++) found += Array.IndexOf(data, -1);
        return found;
    }
}
