// expect: contained load
// fault: guard
// class: 2
// A guard of 160,000 nested conversions int -> long -> int ... of the argument, compared with 2 (48 bytes a node).
// Built in a loop within the allocation budget, it is analyzed by the dispatcher at Install: a recursive walk
// of it overflows the kernel's stack. The load must end in a DomainException that names the guard.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class DeepConvert : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        Expression value = a;
        for (int i = 0; i < 160_000; i++) value = Expression.Convert(value, i % 2 == 0 ? typeof(long) : typeof(int));
        Expression body = Expression.Equal(value, Expression.Constant(2));
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
