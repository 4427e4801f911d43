// expect: contained handler
// fault: allocation
// class: 4
// One call joins an array holding 2,000 references to one 1 MB string (524,288 chars): 2 GB of result from
// 5 MB of input, against an 8 MB budget. (100,000 references, as the review put it, exceed the largest string
// and fail before allocating; 2,000 is the largest join that succeeds.)
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class AllocStringJoinShared : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var part = new string('x', 524_288);
        var parts = new string[2_000];
        Array.Fill(parts, part);
        return string.Join(",", parts).Length;
    }
}
