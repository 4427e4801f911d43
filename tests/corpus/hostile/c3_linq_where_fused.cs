// expect: reject cost
// class: 3
// Where applied 100,000 times to one sequence (the base library fuses the predicates), then counted: each
// element runs 100,000 leaf predicates inside one base-library call. The compiler must refuse it.
using System.Collections.Generic;
using System.Linq;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LinqWhereFused : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        IEnumerable<int> q = new int[10_000];
        for (int i = 0; i < 100_000; i++) q = q.Where(x => x >= 0);
        return q.Count();
    }
}
