// expect: reject cost
// class: 3
// Enumerable.Range(0, int.MaxValue).Count(): two billion iterations inside the base library for one call.
// LINQ operators loop over sequences of any length where the meter cannot see: the compiler must refuse them.
using System.Collections.Generic;
using System.Linq;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LinqRangeCount : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => Enumerable.Range(0, int.MaxValue).Count();
}
