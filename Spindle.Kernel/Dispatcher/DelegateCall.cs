using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// Calls of a delegate inside a compiled routine. When the delegate is one ordinary method (a lambda, a method
/// group) whose parameters and return type are exactly the call's, the routine calls that method on the
/// delegate's target directly: no delegate invoke, and the JIT may inline the handler into the routine.
/// Anything else (multicast, closed-over-first-argument static, struct target, dynamic method, variant
/// signature) is invoked through the delegate. Used for trusted calls only; metered ones go through Containment.
/// </summary>
internal static class DelegateCall
{
    /// <summary>The call of <paramref name="d"/> with <paramref name="args"/>, as an expression.</summary>
    public static Expression Of(Delegate d, params Expression[] args)
    {
        var m = d.Method;
        if (!d.HasSingleTarget || m is DynamicMethod || m.DeclaringType is not { IsValueType: false } type
            || m.IsGenericMethodDefinition || !Matches(m, d.GetType(), args))
            return Expression.Invoke(Expression.Constant(d), args);
        if (m.IsStatic) return d.Target == null ? Expression.Call(m, args) : Expression.Invoke(Expression.Constant(d), args);
        return d.Target == null
            ? Expression.Invoke(Expression.Constant(d), args)
            : Expression.Call(Expression.Constant(d.Target, type), m, args);
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
