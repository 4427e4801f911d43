// expect: reject shared-state
// class: 5
// string.IsInterned reads the process-wide intern pool: a domain can learn which strings others interned.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class StringIsInterned : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => string.IsInterned("secret-" + a) is null ? 0 : 1;
}
