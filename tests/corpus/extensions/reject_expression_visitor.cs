// expect: reject recursion
using System.Linq.Expressions;
public sealed class Walker : ExpressionVisitor
{
    public int Nodes;
    public override Expression? Visit(Expression? node) { Nodes++; return base.Visit(node); }
}
