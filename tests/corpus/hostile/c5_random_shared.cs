// expect: reject shared-state
// class: 5
// Random.Shared is one generator for the whole process: a domain can drain or predict the sequence other
// domains and the kernel draw from. The compiler must refuse it (new Random(seed) is a domain's own).
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class RandomShared : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => Random.Shared.Next();
}
