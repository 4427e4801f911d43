// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// string.Replace on a 3,000,000-char string of a pattern that is not there (no allocation: the string comes
// back), 2,000 times.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LoopStringReplace : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var s = new string('a', 3_000_000);
        int length = 0;
        for (int i = 0; i < 2_000; i++) length += s.Replace("zz", "y").Length;
        return length;
    }
}
