// expect: contained load
// fault: guard
// class: 2
// A guard of 100,000 conjuncts: a == 2 && (a balanced tree of 100,000 AndAlsos over a != 7). Shallow, but
// every conjunct becomes kernel work: analysis, and a routine the dispatcher compiles at the next raise.
// Guard size is extension-controlled: the dispatcher must bound it and refuse this one at Install.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class Wide : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        Expression leaf = Expression.NotEqual(a, Expression.Constant(7));
        var level = new List<Expression>(100_000);
        for (int i = 0; i < 100_000; i++) level.Add(leaf);
        while (level.Count > 1)
        {
            var next = new List<Expression>(level.Count / 2 + 1);
            for (int i = 0; i + 1 < level.Count; i += 2) next.Add(Expression.AndAlso(level[i], level[i + 1]));
            if (level.Count % 2 == 1) next.Add(level[^1]);
            level = next;
        }
        var body = Expression.AndAlso(Expression.Equal(a, Expression.Constant(2)), level[0]);
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
