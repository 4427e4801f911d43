// expect: contained load
// fault: guard
// class: 1
// A guard holds a constant whose ToString never returns, inside a node a guard may not contain (an array
// initializer, tested with TypeIs). The dispatcher refuses the guard; it must say so without formatting the
// extension's constant (the rejected node's ToString calls it). The load must end in a DomainException that
// names the guard.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class Hostile
{
    public override string ToString() { while (!Hang.Released) { } return "released"; }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class ConstantToString : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        var array = Expression.NewArrayInit(typeof(object), Expression.Constant(new Hostile()));
        var body = Expression.AndAlso(Expression.Equal(a, Expression.Constant(2)), Expression.TypeIs(array, typeof(object[])));
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
