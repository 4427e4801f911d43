using System.Runtime.CompilerServices;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// Calls into untrusted code: arms the meter, catches whatever escapes, charges it to the owner.
/// Compiled dispatch routines call these helpers for metered handlers only; trusted handlers are
/// called directly. A nested metered call (an untrusted handler raising an event with another
/// untrusted handler) arms a nested meter: the inner handler gets at most its own fuel and the outer
/// call's remainder, its faults are its own, and the outer call resumes with its own state afterwards.
/// </summary>
internal static class Containment
{
    /// <summary>Calls handler(arg) under <paramref name="fuel"/> and <paramref name="allocation"/> bytes; returns false (result default) if it faulted, after charging owner.</summary>
    /// <remarks>Optimized at once (no tiering): it is on every metered raise, the system call's included.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool TryInvoke<TArg, TResult>(Func<TArg, TResult> handler, TArg arg, IHandlerOwner owner, long fuel,
        long allocation, out TResult result)
    {
        Enter(fuel, allocation);
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
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static TResult Combine<TResult>(Func<TResult, TResult, TResult> combine, TResult acc, TResult next,
        IHandlerOwner owner, long fuel, long allocation)
    {
        Enter(fuel, allocation);
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

    // Arms a (possibly nested) meter for one call; the outer call's state is saved by the meter.
    private static void Enter(long fuel, long allocation) => Meter.Arm(fuel, allocation);

    // Ends the innermost metered call; the outer one, if any, resumes minus what this one burnt.
    private static void Leave() => Meter.Disarm();
}
