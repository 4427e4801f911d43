// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// List.Sort with an IComparer whose Compare is a leaf, on 200,000 items, 200 times (reversed each time): about
// 700 million comparisons run inside the base library while the handler ticks a few hundred times.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

/// <summary>Descending order, in a leaf.</summary>
public sealed class Descending : IComparer<int>
{
    public int Compare(int x, int y) => y - x;
}

public sealed class ComparerListSort : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var list = new List<int>(new int[200_000]);
        var comparer = new Descending();
        for (int i = 0; i < 200; i++)
        {
            list[i] = i;
            list.Reverse();
            list.Sort(comparer);
        }
        return list[0];
    }
}
