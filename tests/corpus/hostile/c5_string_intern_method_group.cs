// expect: reject shared-state
// class: 5
// string.Intern taken as a method group (a delegate), not called by name at the call site: the same shared
// pool, reached through a conversion the compiler must still see.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class StringInternMethodGroup : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    private static readonly Func<string, string> Pool = string.Intern;

    public static int Handle(int a) => Pool("spindle-" + a).Length;
}
