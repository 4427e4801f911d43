// expect: contained handler
// fault: allocation
// class: 4
// One call makes new string(x, 400,000,000): 800 MB from the base library, in one call whose budget is 8 MB.
// Only newarr is checked before it allocates; the periodic check never runs in a call this short. The
// allocation must be charged against the budget before it happens: the meter must fire with "allocation".
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocNewString : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        return new string('x', 400_000_000).Length;
    }
}
