// expect: reject shared-state
// class: 5
// string.Intern puts a string in the process-wide intern pool: one domain can grow it without bound (it is
// never collected) and observe what other domains interned. The compiler must refuse it.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class StringIntern : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => string.Intern("spindle-" + a).Length;
}
