// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// string.IndexOf over a 3,000,000-char string for a char that is not there, 2,000 times.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LoopStringIndexOf : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var s = new string('a', 3_000_000);
        int found = 0;
        for (int i = 0; i < 2_000; i++) found += s.IndexOf('z');
        return found;
    }
}
