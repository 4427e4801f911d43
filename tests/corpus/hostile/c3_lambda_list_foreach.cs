// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// List.ForEach with a lambda that is a leaf, over 800,000 items, 400 times: 320 million callbacks run by the
// base library, 400 metered iterations in the handler.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LambdaListForEach : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var list = new List<int>(new int[800_000]);
        for (int i = 0; i < 400; i++) list.ForEach(x => { });
        return list.Count;
    }
}
