using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Dispatcher;

/// <summary>One ANDed part of a guard, rewritten onto the event's argument parameter.</summary>
/// <param name="Test">The boolean test.</param>
/// <param name="MayThrow">False only if the test provably cannot throw (it then runs without a handler for faults).</param>
/// <param name="Term">Set if the test is an equality of a key path with a constant, usable by an index.</param>
internal sealed record Conjunct(Expression Test, bool MayThrow, IndexTerm? Term);

/// <summary>An indexable test <c>Key == Value</c>; <paramref name="NotNull"/> guards the references Key dereferences.</summary>
internal sealed record IndexTerm(Expression Key, Expression? NotNull, object Value);

/// <summary>
/// Checks that a guard is a side-effect-free predicate, folds the variables it captured into constants
/// (they are read once, at install), rewrites it onto the event's parameter and splits it at its
/// top-level ANDs, recognising the indexable equalities.
/// </summary>
internal static class GuardAnalyzer
{
    /// <summary>Returns the conjuncts of <paramref name="guard"/> over <paramref name="arg"/>; throws GuardRejectedException naming the offending node.</summary>
    public static List<Conjunct> Analyze<TArg>(Expression<Func<TArg, bool>> guard, ParameterExpression arg)
    {
        GuardBounds.Check(guard);
        var checker = new Checker(guard.Parameters[0], arg);
        var body = checker.Visit(guard.Body)!;
        var parts = new List<Conjunct>();
        foreach (var test in SplitAnd(body))
        {
            if (test is ConstantExpression { Value: true }) continue; // always holds: nothing to test
            checker.MayThrow = false;
            checker.Visit(test); // re-run over the folded part to learn whether it may throw
            parts.Add(new Conjunct(test, checker.MayThrow, TermOf(test)));
        }
        return parts;
    }

    /// <summary>True if two key paths read the same members through the same conversions.</summary>
    public static bool SameKey(Expression a, Expression b) => (a, b) switch
    {
        (ParameterExpression, ParameterExpression) => a == b,
        (MemberExpression ma, MemberExpression mb) => ma.Member == mb.Member && SameKey(ma.Expression!, mb.Expression!),
        (UnaryExpression ua, UnaryExpression ub) => ua.Type == ub.Type && SameKey(ua.Operand, ub.Operand),
        _ => false,
    };

    // Flattens a && b && c into [a, b, c], left to right.
    private static IEnumerable<Expression> SplitAnd(Expression e)
    {
        if (e is BinaryExpression { NodeType: ExpressionType.AndAlso, Method: null } and)
        {
            foreach (var l in SplitAnd(and.Left)) yield return l;
            foreach (var r in SplitAnd(and.Right)) yield return r;
        }
        else yield return e;
    }

    // Recognises path == constant (either side), where path reads fields/auto-properties of the argument.
    private static IndexTerm? TermOf(Expression test)
    {
        if (test is not BinaryExpression { NodeType: ExpressionType.Equal } eq) return null;
        if (eq.Method != null && eq.Method != StringEquality) return null;
        var (path, constant) = eq.Right is ConstantExpression c ? (eq.Left, c) : (eq.Right, eq.Left as ConstantExpression);
        if (constant?.Value == null || !IsKeyType(path.Type)) return null;
        Expression? notNull = null;
        if (!IsKeyPath(path, ref notNull)) return null;
        return new IndexTerm(path, notNull, constant.Value);
    }

    // A chain of member reads and lossless-or-wrapping conversions from the parameter; collects null checks.
    private static bool IsKeyPath(Expression e, ref Expression? notNull)
    {
        switch (e)
        {
            case ParameterExpression:
                return true;
            case UnaryExpression { NodeType: ExpressionType.Convert, Method: null } u
                when IsKeyType(u.Type) && IsKeyType(u.Operand.Type) && u.Type != typeof(string):
                return IsKeyPath(u.Operand, ref notNull);
            case MemberExpression { Expression: { } inner }:
                if (!IsKeyPath(inner, ref notNull)) return false;
                if (!inner.Type.IsValueType)
                {
                    var check = Expression.NotEqual(inner, Expression.Constant(null, inner.Type));
                    notNull = notNull == null ? check : Expression.AndAlso(notNull, check);
                }
                return true;
            default:
                return false;
        }
    }

    // Types whose default equality is exactly the == the guard wrote.
    private static bool IsKeyType(Type t) =>
        t.IsEnum || t == typeof(string) || t == typeof(bool) || t == typeof(char) ||
        t == typeof(sbyte) || t == typeof(byte) || t == typeof(short) || t == typeof(ushort) ||
        t == typeof(int) || t == typeof(uint) || t == typeof(long) || t == typeof(ulong);

    private static readonly MethodInfo StringEquality = typeof(string).GetMethod("op_Equality", [typeof(string), typeof(string)])!;

    // Calls a guard may make: pure, and (but for Math.Abs) unable to throw.
    private static readonly HashSet<MethodInfo> Allowed = BuildAllowlist();

    private static HashSet<MethodInfo> BuildAllowlist()
    {
        var set = new HashSet<MethodInfo>
        {
            StringEquality,
            typeof(string).GetMethod("op_Inequality", [typeof(string), typeof(string)])!,
            typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string)])!,
            typeof(string).GetMethod(nameof(string.IsNullOrEmpty), [typeof(string)])!,
        };
        foreach (var m in typeof(Math).GetMethods(BindingFlags.Public | BindingFlags.Static))
            if (m.Name is nameof(Math.Min) or nameof(Math.Max) or nameof(Math.Abs) && m.GetParameters()[0].ParameterType.IsPrimitive)
                set.Add(m);
        return set;
    }

    // Validates node by node; folds constant member reads and conversions; tracks whether anything may throw.
    private sealed class Checker(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        public bool MayThrow;

        public override Expression? Visit(Expression? node)
        {
            if (node == null) return null;
            switch (node.NodeType)
            {
                case ExpressionType.Divide or ExpressionType.Modulo or ExpressionType.ArrayIndex or ExpressionType.ArrayLength
                    or ExpressionType.AddChecked or ExpressionType.SubtractChecked or ExpressionType.MultiplyChecked
                    or ExpressionType.NegateChecked or ExpressionType.ConvertChecked:
                    MayThrow = true;
                    return base.Visit(node);
                case ExpressionType.Add or ExpressionType.Subtract or ExpressionType.Multiply
                    or ExpressionType.And or ExpressionType.Or or ExpressionType.ExclusiveOr
                    or ExpressionType.LeftShift or ExpressionType.RightShift or ExpressionType.AndAlso or ExpressionType.OrElse
                    or ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan
                    or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
                    or ExpressionType.Coalesce or ExpressionType.Not or ExpressionType.Negate or ExpressionType.UnaryPlus
                    or ExpressionType.OnesComplement or ExpressionType.Convert or ExpressionType.TypeAs or ExpressionType.TypeIs
                    or ExpressionType.TypeEqual or ExpressionType.Conditional or ExpressionType.Constant
                    or ExpressionType.Parameter or ExpressionType.MemberAccess or ExpressionType.Call
                    or ExpressionType.Default or ExpressionType.IsTrue or ExpressionType.IsFalse:
                    return base.Visit(node);
                default:
                    throw Reject(node, $"{node.NodeType} is not allowed in a guard (guards are side-effect-free predicates)");
            }
        }

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == from || node == to ? to : throw Reject(node, "a guard may use only its own parameter");

        protected override Expression VisitLambda<T>(Expression<T> node) => throw Reject(node, "nested lambdas are not allowed in a guard");

        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (node.Method != null) CheckCall(node.Method, node);
            if (node.Conversion != null) throw Reject(node, "coalesce with a conversion is not allowed in a guard");
            return base.VisitBinary(node);
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            if (node.Method != null) CheckCall(node.Method, node);
            var operand = Visit(node.Operand)!;
            if (node.NodeType == ExpressionType.Convert && (!node.Type.IsValueType || !operand.Type.IsValueType))
                MayThrow = true; // casts between references and unboxing can fail
            var rebuilt = node.Update(operand);
            return operand is ConstantExpression && node.NodeType == ExpressionType.Convert && node.Method == null
                ? TryFold(rebuilt) : rebuilt;
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            CheckCall(node.Method, node);
            if (node.Method.Name == nameof(Math.Abs)) MayThrow = true; // Abs(MinValue) overflows
            return base.VisitMethodCall(node);
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Member is PropertyInfo p && !IsBaseLibraryGetter(p))
            {
                // An auto-property of the extension's: read its backing field, so that no getter (the extension's
                // code, whatever attributes it wears) runs in the kernel, at install or at a raise.
                var field = BackingField(p) ?? throw Reject(node, $"property {p.DeclaringType?.Name}.{p.Name} is not an auto-property; guards may not run its getter");
                node = Expression.Field(node.Expression, field);
            }
            var inner = Visit(node.Expression);
            if (inner != null && !inner.Type.IsValueType && inner is not ConstantExpression { Value: not null })
                MayThrow = true; // null dereference
            if (inner is null or ConstantExpression { Value: not null })
                return Expression.Constant(Read(node.Member, (inner as ConstantExpression)?.Value), node.Type);
            if (node.Member is PropertyInfo { Name: "Value" } && Nullable.GetUnderlyingType(node.Member.DeclaringType!) != null)
                MayThrow = true;
            return node.Update(inner);
        }

        // A captured variable or static member: read it now, once.
        private static object? Read(MemberInfo member, object? target) => member switch
        {
            FieldInfo f => f.GetValue(target),
            PropertyInfo p => p.GetValue(target),
            _ => throw new GuardRejectedException($"member {member.Name} cannot be read in a guard"),
        };

        // Evaluates a conversion of a constant now; leaves it as is if the conversion fails.
        private Expression TryFold(UnaryExpression convert)
        {
            try
            {
                var value = Expression.Lambda<Func<object?>>(Expression.Convert(convert, typeof(object))).Compile(preferInterpretation: true)();
                return Expression.Constant(value, convert.Type);
            }
            catch (Exception) // an overflowing or invalid constant conversion is left for the raise to evaluate
            {
                MayThrow = true;
                return convert;
            }
        }

        // The base library's own side-effect-free getters a guard may read.
        private static bool IsBaseLibraryGetter(PropertyInfo p) =>
            (p.DeclaringType == typeof(string) && p.Name == nameof(string.Length)) || Nullable.GetUnderlyingType(p.DeclaringType!) != null;

        // The field the C# compiler made for an auto-property, or null if there is none of the property's type.
        private static FieldInfo? BackingField(PropertyInfo p) =>
            p.GetMethod is { } get && p.DeclaringType?.GetField($"<{p.Name}>k__BackingField",
                    BindingFlags.NonPublic | (get.IsStatic ? BindingFlags.Static : BindingFlags.Instance) | BindingFlags.DeclaredOnly) is { } f
                && f.FieldType == p.PropertyType ? f : null;

        private static void CheckCall(MethodInfo m, Expression node)
        {
            if (!Allowed.Contains(m))
                throw Reject(node, $"call to {m.DeclaringType?.Name}.{m.Name} is not allowed in a guard");
        }

        // Names the node by kind and type only: its text (Expression.ToString) would format constants with their own ToString.
        private static GuardRejectedException Reject(Expression node, string why) => new($"guard rejected at a {node.NodeType} node of type {node.Type.Name}: {why}");
    }
}
