// expect: contained hoard
// class: 4
// Each call adds a 4 MB array to a static list: well inside the per-call budget, but the domain keeps it all.
// A domain that keeps more than its memory quota must be destroyed before it takes the kernel's memory.
using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class HoardListArrays : IExtension
{
    private static readonly List<byte[]> Kept = [];

    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        Kept.Add(new byte[4 << 20]);
        return Kept.Count;
    }
}
