// expect: contained load
// fault: guard
// class: 2
// A guard that is a DAG of 31 nodes: x = true; 30 times x = x && x; then a == 2 && x. Walked as a tree it has
// 2^30 leaves: a naive analysis runs for minutes in the kernel (the leaves are constants, so it allocates
// nothing and the run stays bounded). The dispatcher must bound the work by the nodes it has seen and
// refuse the guard at Install.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class Dag : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        Expression x = Expression.Constant(true);
        for (int i = 0; i < 30; i++) x = Expression.AndAlso(x, x);
        var body = Expression.AndAlso(Expression.Equal(a, Expression.Constant(2)), x);
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
