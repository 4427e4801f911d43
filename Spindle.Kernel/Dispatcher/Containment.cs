using System.Runtime.CompilerServices;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// Calls into untrusted code: arms the meter, catches whatever escapes, charges it to the owner.
/// Compiled dispatch routines call these helpers for metered handlers only; trusted handlers are
/// called directly. Nested metered calls (an untrusted handler raising an event with another
/// untrusted handler) run under the outermost call's meter, since the meter cannot be saved and restored.
/// </summary>
internal static class Containment
{
    [ThreadStatic] private static int t_depth;

    /// <summary>Calls handler(arg) under <paramref name="fuel"/>; returns false (result default) if it faulted, after charging owner.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryInvoke<TArg, TResult>(Func<TArg, TResult> handler, TArg arg, IHandlerOwner owner, long fuel,
        out TResult result)
    {
        Enter(fuel);
        try
        {
            result = handler(arg);
            return true;
        }
        catch (Exception fault)
        {
            owner.ChargeFault(fault);
            result = default!;
            return false;
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Folds next into acc with an untrusted result handler; keeps acc if the result handler faulted.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TResult Combine<TResult>(Func<TResult, TResult, TResult> combine, TResult acc, TResult next,
        IHandlerOwner owner, long fuel)
    {
        Enter(fuel);
        try
        {
            return combine(acc, next);
        }
        catch (Exception fault)
        {
            owner.ChargeFault(fault);
            return acc;
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>A guard threw: charge its owner; the guard counts as false.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool GuardFault(IHandlerOwner owner, Exception fault)
    {
        owner.ChargeFault(fault);
        return false;
    }

    // Arms the meter unless an outer metered call already did.
    private static void Enter(long fuel)
    {
        if (t_depth++ == 0) Meter.Arm(fuel);
    }

    // Disarms when the outermost metered call returns.
    private static void Leave()
    {
        if (--t_depth == 0) Meter.Disarm();
    }
}
