// expect: reject cost
// class: 6
// System.Numerics.BigInteger (System.Runtime.Numerics): the compiler accepts the assembly but the load
// context refuses it, so the extension is accepted by one list and refused by the other. Its operations cost
// in proportion to their operands, unmetered. The compiler must refuse it.
using System;
using System.Collections.Generic;
using System.Numerics;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class BigIntegerArithmetic : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => (int)(new BigInteger(a) * new BigInteger(a) % 1_000_003);
}
