// expect: reject cost
// class: 3
// A chain of Select operators over a large range, summed: every element passes through leaf lambdas called
// by the base library. The compiler must refuse LINQ operators it cannot charge.
using System.Collections.Generic;
using System.Linq;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class LinqSelectChain : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) =>
        Enumerable.Range(0, 1_000_000_000).Select(x => x + 1).Select(x => x * 2).Select(x => x - 1).Select(x => x & 7).Sum();
}
