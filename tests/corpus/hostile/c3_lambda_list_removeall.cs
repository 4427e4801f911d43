// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// List.RemoveAll with a predicate lambda that is a leaf (and removes nothing), over 800,000 items, 600 times.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LambdaListRemoveAll : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var list = new List<int>(new int[800_000]);
        int removed = 0;
        for (int i = 0; i < 600; i++) removed += list.RemoveAll(x => x < 0);
        return removed;
    }
}
