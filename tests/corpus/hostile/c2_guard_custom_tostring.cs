// expect: contained load
// fault: guard
// class: 2
// A guard containing an honest extension node (NodeType Extension, reducible to itself) whose ToString never
// returns. The dispatcher refuses the node, but formats it into its message, running the extension's
// ToString. It must refuse the guard, naming it, without calling into the node.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class Endless : Expression
{
    public override ExpressionType NodeType => ExpressionType.Extension;
    public override Type Type => typeof(bool);
    public override bool CanReduce => true;
    public override Expression Reduce() => this;
    public override string ToString() { while (!Hang.Released) { } return "released"; }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class CustomToString : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        var body = Expression.AndAlso(Expression.Equal(a, Expression.Constant(2)), new Endless());
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
