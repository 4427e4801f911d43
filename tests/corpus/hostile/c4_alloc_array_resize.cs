// expect: contained handler
// fault: allocation
// class: 4
// One call grows an empty array to 500,000,000 ints with Array.Resize (2 GB, allocated by the base library,
// not by a newarr the instrumenter sees) against an 8 MB budget.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocArrayResize : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        int[] array = [];
        Array.Resize(ref array, 500_000_000);
        return array.Length;
    }
}
