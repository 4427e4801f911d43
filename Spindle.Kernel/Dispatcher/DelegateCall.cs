using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// Calls of a delegate inside a compiled routine. When the delegate is one ordinary method (a lambda, a method
/// group) whose parameters and return type are exactly the call's, the routine calls that method on the
/// delegate's target directly: no delegate invoke, and the JIT may inline the handler into the routine.
/// Anything else (multicast, closed-over-first-argument static, struct target, dynamic method, variant
/// signature, a method of a collectible assembly such as an extension's, which the routine's IL must not
/// name) is invoked through the delegate. Used for trusted calls only; metered ones go through Containment.
/// </summary>
internal static class DelegateCall
{
    /// <summary>The call of <paramref name="d"/> with <paramref name="args"/>, as an expression.</summary>
    public static Expression Of(Delegate d, params Expression[] args)
    {
        if (!Callable(d, args)) return Expression.Invoke(Expression.Constant(d), args);
        return d.Method.IsStatic
            ? Expression.Call(d.Method, args)
            : Expression.Call(Expression.Constant(d.Target, d.Method.DeclaringType!), d.Method, args);
    }

    /// <summary>True if <paramref name="d"/> is an instance method on a class-typed target that a routine may call directly with <paramref name="args"/>.</summary>
    public static bool OnTarget(Delegate d, params Expression[] args) => Callable(d, args) && !d.Method.IsStatic;

    // True if d's method can be called directly in place of d (static: only if not closed over a first argument).
    private static bool Callable(Delegate d, Expression[] args)
    {
        var m = d.Method;
        return d.HasSingleTarget && m is not DynamicMethod && m.DeclaringType is { IsValueType: false, Assembly.IsCollectible: false }
            && !m.IsGenericMethodDefinition && (m.IsStatic ? d.Target == null : d.Target != null) && Matches(m, d.GetType(), args);
    }

    // True if m takes exactly the argument types and returns exactly what the delegate type returns.
    private static bool Matches(MethodInfo m, Type delegateType, Expression[] args)
    {
        var ps = m.GetParameters();
        if (ps.Length != args.Length || m.ReturnType != delegateType.GetMethod("Invoke")!.ReturnType) return false;
        for (int i = 0; i < ps.Length; i++)
            if (ps[i].ParameterType != args[i].Type) return false;
        return true;
    }
}
