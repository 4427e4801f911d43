// expect: reject cost
// class: 6
// BigInteger.Pow(3, 100,000,000): one call, minutes of work and a 20 MB result, all in the base library.
using System;
using System.Collections.Generic;
using System.Numerics;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class BigIntegerPow : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => BigInteger.Pow(3, 100_000_000).IsEven ? 0 : 1;
}
