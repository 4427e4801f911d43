// expect: contained load
// class: 2
// A guard containing an extension node whose NodeType getter never returns: the dispatcher's analysis reads
// it first thing. The load must end in a DomainException (the getter may run only metered, or not at all).
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class Stuck : Expression
{
    public override ExpressionType NodeType { get { while (!Hang.Released) { } return ExpressionType.Constant; } }
    public override Type Type => typeof(bool);
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class CustomNodeTypeLoops : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        var body = Expression.AndAlso(Expression.Equal(a, Expression.Constant(2)), new Stuck());
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
