// expect: reject shared-state
// class: 5
// Random.Shared kept in a static field at load, then used from the handler.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class RandomSharedStored : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    private static readonly Random Generator = Random.Shared;

    public static int Handle(int a) => Generator.Next(a);
}
