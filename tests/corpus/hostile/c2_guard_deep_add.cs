// expect: contained load
// fault: guard
// class: 2
// A guard comparing 160,000 nested Add nodes with a constant: ((a + 1) + 1) + ... == 160002 (48 bytes a node).
// Built in a loop within the allocation budget, it is analyzed by the dispatcher at Install: a recursive walk
// of it overflows the kernel's stack. The load must end in a DomainException that names the guard.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class DeepAdd : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        Expression sum = a;
        var one = Expression.Constant(1);
        for (int i = 0; i < 160_000; i++) sum = Expression.Add(sum, one);
        Expression body = Expression.Equal(sum, Expression.Constant(160_002));
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
