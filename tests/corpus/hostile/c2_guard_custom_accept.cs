// expect: reject recursion
// class: 2
// (An Expression subclass must override Accept(ExpressionVisitor), and ExpressionVisitor is refused: rule recursion.)
// A guard containing an extension node that claims to be a Constant and whose Accept hands itself back to the
// visitor: the kernel's visitor and the extension's code recurse into each other. The dispatcher must refuse
// the node (not a base-library node class) before visiting it.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class Mirror : Expression
{
    public override ExpressionType NodeType => ExpressionType.Constant;
    public override Type Type => typeof(bool);
    protected override Expression Accept(ExpressionVisitor visitor) => visitor.Visit(this)!;
}

public sealed class CustomAccept : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        var body = Expression.AndAlso(Expression.Equal(a, Expression.Constant(2)), new Mirror());
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
