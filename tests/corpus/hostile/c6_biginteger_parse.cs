// expect: reject cost
// class: 6
// BigInteger.Parse of a long digit string: quadratic work in its length, unmetered.
using System;
using System.Collections.Generic;
using System.Numerics;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class BigIntegerParse : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => BigInteger.Parse(new string('9', 1_000_000)).IsZero ? 0 : 1;
}
