using System.Linq.Expressions;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// The first look the kernel takes at a guard, before anything else touches it: a guard is an object an
/// extension built, so it may be a tree hundreds of thousands of nodes deep (the analyzer's visitor and the
/// base library's ToString recurse, and would overflow the kernel's stack), a DAG that is exponential when
/// walked, or contain nodes of the extension's own Expression subclasses (whose overridden members would run
/// as unmetered kernel code). This walk uses its own stack, calls no virtual member of a node before checking
/// that the node's runtime type is the base library's, and stops at <see cref="MaxNodes"/> visits or
/// <see cref="MaxDepth"/> levels. Refusals name the limit and the node kind, never the node's text
/// (Expression.ToString would format constants with their own ToString).
/// </summary>
internal static class GuardBounds
{
    /// <summary>Most nodes a guard may have, counting a shared subtree once per use.</summary>
    public const int MaxNodes = 4096;

    /// <summary>Deepest a guard may nest.</summary>
    public const int MaxDepth = 128;

    private static readonly System.Reflection.Assembly ExpressionAssembly = typeof(Expression).Assembly;

    /// <summary>Throws <see cref="GuardRejectedException"/> if <paramref name="guard"/> is too large, too deep, or not made of base-library nodes.</summary>
    public static void Check(LambdaExpression guard)
    {
        var pending = new Stack<(Expression Node, int Depth)>();
        pending.Push((guard, 1));
        int visited = 0;
        while (pending.TryPop(out var top))
        {
            var (node, depth) = top;
            if (++visited > MaxNodes) throw new GuardRejectedException($"guard rejected: more than {MaxNodes} nodes");
            if (depth > MaxDepth) throw new GuardRejectedException($"guard rejected: nested deeper than {MaxDepth} levels");
            if (node.GetType().Assembly != ExpressionAssembly)
                throw new GuardRejectedException($"guard rejected: a node of type {node.GetType().Name} is not a base-library expression");
            foreach (var child in Children(node))
                if (child is not null) pending.Push((child, depth + 1));
        }
    }

    // The subexpressions of the node kinds a guard may hold; other kinds have none worth walking here
    // (the analyzer refuses them by NodeType).
    private static IEnumerable<Expression?> Children(Expression node) => node switch
    {
        LambdaExpression l => new Expression?[] { l.Body }.Concat(l.Parameters),
        BinaryExpression b => new Expression?[] { b.Left, b.Right, b.Conversion },
        UnaryExpression u => new Expression?[] { u.Operand },
        MemberExpression m => new Expression?[] { m.Expression },
        MethodCallExpression c => new Expression?[] { c.Object }.Concat(c.Arguments),
        ConditionalExpression c => new Expression?[] { c.Test, c.IfTrue, c.IfFalse },
        TypeBinaryExpression t => new Expression?[] { t.Expression },
        InvocationExpression i => new Expression?[] { i.Expression }.Concat(i.Arguments),
        NewExpression n => n.Arguments,
        _ => [],
    };
}
