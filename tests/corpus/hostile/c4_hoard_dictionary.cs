// expect: contained hoard
// class: 4
// Each call stores a fresh 4 MB array in a static dictionary under a new key: the dictionary grows without end.
using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class HoardDictionary : IExtension
{
    private static readonly Dictionary<int, int[]> Kept = [];

    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        Kept[Kept.Count] = new int[1 << 20];
        return Kept.Count;
    }
}
