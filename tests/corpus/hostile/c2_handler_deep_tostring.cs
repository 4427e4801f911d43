// expect: reject recursion
// class: 2
// A handler formats a 150,000-deep expression tree (built at load) with Expression.ToString: the base
// library recurses once per level, unmetered, and overflows the kernel's stack. Base-library members that
// recurse on extension-built data cannot be metered: the compiler must refuse the call.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class HandlerDeepToString : IExtension
{
    private static readonly Expression Deep = Build();

    private static Expression Build()
    {
        Expression e = Expression.Constant(1);
        for (int i = 0; i < 150_000; i++) e = Expression.Negate(e);
        return e;
    }

    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => Deep.ToString().Length;
}
