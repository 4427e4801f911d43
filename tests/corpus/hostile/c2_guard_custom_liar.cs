// expect: reject recursion
// class: 2
// (An Expression subclass must override Accept(ExpressionVisitor), and ExpressionVisitor is refused: rule recursion.)
// A guard containing a node of the extension's own Expression subclass that claims to be a Constant of type
// bool, visits as itself and reduces to another of its kind forever. It passes a check that trusts NodeType,
// and breaks the kernel later (the dispatch routine's compilation casts it). Guards must be made of the base
// library's node classes only: the dispatcher must refuse it at Install.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class Liar : Expression
{
    public override ExpressionType NodeType => ExpressionType.Constant;
    public override Type Type => typeof(bool);
    public override bool CanReduce => true;
    public override Expression Reduce() => new Liar();
    protected override Expression Accept(ExpressionVisitor visitor) => this;
}

public sealed class CustomLiar : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        var a = Expression.Parameter(typeof(int), "a");
        var body = Expression.AndAlso(Expression.Equal(a, Expression.Constant(2)), new Liar());
        c.Dispatcher.Install(probe, Handle, Expression.Lambda<Func<int, bool>>(body, a));
    }

    public static int Handle(int a) => 0;
}
