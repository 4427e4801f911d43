// expect: contained handler
// fault: allocation
// class: 4
// One call concatenates 170 references to one 3,000,000-char string: a 1 GB string from 6 MB of input,
// against an 8 MB budget.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocStringConcat : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var part = new string('x', 3_000_000);
        var parts = new string[170];
        Array.Fill(parts, part);
        return string.Concat(parts).Length;
    }
}
