// expect: reject cost
// class: 6
// System.Numerics.Complex, the other type of System.Runtime.Numerics: the whole assembly is outside what the
// load context grants, so the compiler must refuse it too.
using System;
using System.Collections.Generic;
using System.Numerics;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class ComplexNumbers : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => (int)Complex.Abs(new Complex(a, a));
}
