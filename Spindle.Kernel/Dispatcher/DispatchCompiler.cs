using System.Linq.Expressions;
using System.Reflection;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// Turns an ordered list of handlers into one routine: each guard inlined, each handler called directly
/// (trusted) or through Containment (metered), results folded by the result handler, the default handler
/// when none fired. A lone unguarded trusted handler is its own routine: raising it is one delegate call.
/// </summary>
internal static class DispatchCompiler<TArg, TResult>
{
    private static readonly Func<TArg, TResult> ReturnDefault = _ => default!;

    private static readonly MethodInfo TryInvoke = Method(nameof(Containment.TryInvoke)).MakeGenericMethod(typeof(TArg), typeof(TResult));
    private static readonly MethodInfo Combine = Method(nameof(Containment.Combine)).MakeGenericMethod(typeof(TResult));
    private static readonly MethodInfo GuardFault = Method(nameof(Containment.GuardFault));
    private static readonly MethodInfo Enqueue = typeof(Binding<TArg, TResult>).GetMethod(nameof(Binding<TArg, TResult>.Enqueue),
        BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>The routine for <paramref name="handlers"/> (in order). Caller holds the table lock.</summary>
    public static Func<TArg, TResult> Compile(EventTable<TArg, TResult> t, List<Binding<TArg, TResult>> handlers)
    {
        if (handlers.Count == 1 && handlers[0].IsBareCall) return handlers[0].Direct;
        if (handlers.Count == 0 && t.DeclarerFuel == 0) return t.Options.Default ?? ReturnDefault;
        return Expression.Lambda<Func<TArg, TResult>>(Body(t, handlers), t.Event.Name + ".raise", [t.Arg]).Compile();
    }

    /// <summary>
    /// The routine's body over t.Arg, evaluating to the raise's result; <paramref name="last"/>, if given, is a
    /// trusted unguarded handler's call (over t.Arg) made after <paramref name="handlers"/>.
    /// </summary>
    public static Expression Body(EventTable<TArg, TResult> t, List<Binding<TArg, TResult>> handlers, Expression? last = null)
    {
        var result = Expression.Variable(typeof(TResult), "result");
        var fired = Expression.Variable(typeof(bool), "fired");
        var r = Expression.Variable(typeof(TResult), "r");
        var steps = new List<Expression> { Expression.Assign(result, Expression.Default(typeof(TResult))), Expression.Assign(fired, Expression.Constant(false)) };
        foreach (var b in handlers)
        {
            var step = Step(t, b, result, fired, r);
            var guard = Guard(b);
            steps.Add(guard == null ? step : Expression.IfThen(guard, step));
        }
        if (last != null) steps.Add(Fire(t, last, result, fired, r));
        if (t.Options.Default is { } fallback)
            steps.Add(Expression.IfThen(Expression.Not(fired), t.DeclarerFuel == 0
                ? Expression.Assign(result, DelegateCall.Of(fallback, t.Arg))
                : Expression.Call(TryInvoke, Expression.Constant(fallback), t.Arg, Expression.Constant(t.Declarer, typeof(IHandlerOwner)),
                    Expression.Constant(t.DeclarerFuel), Expression.Constant(t.Declarer.AllocationBudget), result)));
        steps.Add(result);
        return Expression.Block(typeof(TResult), [result, fired, r], steps);
    }

    // The call of one handler whose guard passed, and the folding of its result.
    private static Expression Step(EventTable<TArg, TResult> t, Binding<TArg, TResult> b,
        ParameterExpression result, ParameterExpression fired, ParameterExpression r)
    {
        if (b.Async) return Expression.Call(Expression.Constant(b), Enqueue, t.Arg);
        if (b.Fuel == 0) return Fire(t, b.Call(t.Arg), result, fired, r);
        return Expression.IfThen(
            Expression.Call(TryInvoke, Expression.Constant(b.Direct), t.Arg, Expression.Constant(b.Owner, typeof(IHandlerOwner)),
                Expression.Constant(b.Fuel), Expression.Constant(b.Owner.AllocationBudget), r),
            Folded(t, result, fired, r));
    }

    // A trusted call: r = call, folded into result.
    private static Expression Fire(EventTable<TArg, TResult> t, Expression call,
        ParameterExpression result, ParameterExpression fired, ParameterExpression r) =>
        Expression.Block(Expression.Assign(r, call), Folded(t, result, fired, r));

    // Folds the handler result r into result and notes that a handler fired.
    private static Expression Folded(EventTable<TArg, TResult> t, ParameterExpression result, ParameterExpression fired, ParameterExpression r) =>
        Expression.Block(Expression.Assign(result, Fold(t, result, fired, r)), Expression.Assign(fired, Expression.Constant(true)));

    // result after handler result r: r itself if it is the first (or there is no result handler), else Combine(result, r).
    private static Expression Fold(EventTable<TArg, TResult> t, ParameterExpression result, ParameterExpression fired, ParameterExpression r)
    {
        if (t.Options.Combine is not { } combine) return r;
        Expression combined = t.DeclarerFuel == 0
            ? DelegateCall.Of(combine, result, r)
            : Expression.Call(Combine, Expression.Constant(combine), result, r,
                Expression.Constant(t.Declarer, typeof(IHandlerOwner)), Expression.Constant(t.DeclarerFuel),
                Expression.Constant(t.Declarer.AllocationBudget));
        return Expression.Condition(fired, combined, r);
    }

    // The residual guard, ANDed; faults charged to the owner and counted as false. Null if always true.
    private static Expression? Guard(Binding<TArg, TResult> b)
    {
        var parts = b.Residual();
        if (parts.Count == 0) return null;
        Expression test = parts[0].Test;
        bool mayThrow = parts[0].MayThrow;
        for (int i = 1; i < parts.Count; i++)
        {
            test = Expression.AndAlso(test, parts[i].Test);
            mayThrow |= parts[i].MayThrow;
        }
        if (!mayThrow) return test;
        var fault = Expression.Parameter(typeof(Exception), "fault");
        return Expression.TryCatch(test,
            Expression.Catch(fault, Expression.Call(GuardFault, Expression.Constant(b.Owner, typeof(IHandlerOwner)), fault)));
    }

    private static MethodInfo Method(string name) => typeof(Containment).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
}
