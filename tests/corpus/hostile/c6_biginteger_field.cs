// expect: reject cost
// class: 6
// BigInteger named only as the type of a static field: the reference to System.Runtime.Numerics alone must
// be refused by the compiler, not left for the load context to refuse.
using System;
using System.Collections.Generic;
using System.Numerics;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class BigIntegerField : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    private static BigInteger Total;

    public static int Handle(int a) => a;
}
