// expect: contained hoard
// class: 4
// Each call appends 2,000,000 chars (4 MB of chunks) to a static StringBuilder.
using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class HoardStringBuilder : IExtension
{
    private static readonly StringBuilder Kept = new();

    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        Kept.Append('x', 2_000_000);
        return Kept.Length;
    }
}
