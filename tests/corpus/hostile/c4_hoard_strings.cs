// expect: contained hoard
// class: 4
// Each call keeps a new 2,000,000-char string (4 MB, made by the base library) in a static list.
using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class HoardStrings : IExtension
{
    private static readonly List<string> Kept = [];

    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        Kept.Add(new string('x', 2_000_000));
        return Kept.Count;
    }
}
