using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Spindle.Sdk.Runtime;

/// <summary>
/// The meter the trusted compiler threads through extension code. The instrumenter inserts
/// <see cref="Enter"/> at every method entry, <see cref="Tick"/> before every backward branch,
/// <see cref="CatchEntry"/> at the start of every catch and filter block, <see cref="Alloc"/>
/// before every array allocation, <see cref="StackAlloc"/> before every <c>stackalloc</c>, and
/// <see cref="Charge"/> (with the <c>Size</c> overloads) before every call to a priced base-library member.
/// Extension source may not name this type.
/// </summary>
/// <remarks>
/// State is per host thread, one <see cref="MeterState"/> behind one thread-static reference. The kernel arms the meter around each call into an extension with a
/// fuel budget (one unit per method entry or backward branch) and an allocation budget (bytes,
/// measured with the GC's per-thread allocation counter). Arm/Disarm nest: an extension handler
/// that raises an event handled by another extension runs the inner handler with at most the
/// outer handler's remaining fuel, and the inner consumption is charged to the outer call too.
/// Once the meter fires, the call is aborted: every later Tick, Enter and CatchEntry on this
/// thread throws again until the kernel disarms, so extension code can neither catch the
/// exception nor keep running inside finally blocks.
/// Enter bounds the host stack by comparing the address of a local with a low-water mark; the runtime's
/// own probe runs only when a call goes deeper than any since the last probe (every 16 KB of new depth).
/// Disarmed (no kernel call in progress) the meter costs a decrement and two compares and never fires.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Meter
{
    /// <summary>Default per-call allocation budget in bytes.</summary>
    internal const long DefaultAllocationBudget = 32L << 20;

    /// <summary>Largest single <c>stackalloc</c> an extension may make, in bytes.</summary>
    public const int MaxStackAlloc = 8 << 10;

    // The whole per-thread meter behind one thread-static reference: a probe costs one TLS access.
    [ThreadStatic] private static MeterState? t_state;

    /// <summary>Inserted before backward branches: burns one unit; throws when the fuel is gone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tick()
    {
        MeterState s = t_state ?? MeterState.ForThread(ref t_state);
        if (--s.Fuel < s.Limit) s.Slow();
    }

    /// <summary>
    /// Inserted at method entry: burns one unit and throws before the host stack can overflow. The stack
    /// check is a compare with a low-water mark; the runtime's real probe runs only below it (see MeterState.ProbeStack).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter()
    {
        MeterState s = t_state ?? MeterState.ForThread(ref t_state);
        if (--s.Fuel < s.Limit) s.Slow();
        byte here = 0;
        if (MeterState.Address(ref here) < s.StackMark) s.ProbeStack();
    }

    /// <summary>Fuel one caught exception costs: a throw and its unwinding are runtime work of microseconds, not one probe.</summary>
    public const long CatchCost = 4096;

    /// <summary>
    /// Inserted at the start of every catch and filter block: an aborted extension cannot catch its way out, and each
    /// catch pays <see cref="CatchCost"/> for the throw that reached it (a loop of throw and catch is otherwise a loop
    /// of unmetered runtime work).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CatchEntry()
    {
        MeterState? s = t_state;
        if (s is null) return;
        if (s.Aborted) MeterState.ThrowAborted();
        s.Fuel -= CatchCost;
        if (s.Fuel < s.Limit) s.Slow();
    }

    /// <summary>
    /// Inserted before <c>newarr</c>: charges <paramref name="count"/> elements of
    /// <paramref name="elementSize"/> bytes against the allocation budget before they are
    /// allocated; throws if that would exceed it. Returns <paramref name="count"/> unchanged
    /// (a negative count is left for <c>newarr</c> to refuse).
    /// </summary>
    public static nint Alloc(nint count, int elementSize)
    {
        MeterState? s = t_state;
        if (s == null || s.Depth == 0) return count;
        if (s.Aborted) MeterState.ThrowAborted();
        if (count > 0)
        {
            long bytes = count > long.MaxValue / Math.Max(elementSize, 1) ? long.MaxValue : (long)count * elementSize;
            if (bytes > s.AllocCap - s.AllocatedSinceArm()) s.Abort("allocation budget exhausted");
        }
        return count;
    }

    /// <summary>
    /// Inserted before <c>localloc</c> (a <c>stackalloc</c> into a <c>Span&lt;byte&gt;</c>): refuses more than
    /// <see cref="MaxStackAlloc"/> bytes, and any allocation once the host stack is nearly exhausted, so that
    /// extension code (even a stackalloc in a loop) throws instead of overflowing the kernel's stack.
    /// Returns <paramref name="bytes"/> unchanged.
    /// </summary>
    public static nuint StackAlloc(nuint bytes)
    {
        MeterState s = t_state ?? MeterState.ForThread(ref t_state);
        if (s.Aborted) MeterState.ThrowAborted();
        if (bytes > MaxStackAlloc) s.Abort($"stackalloc of {bytes} bytes exceeds {MaxStackAlloc}");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) s.Abort("recursion too deep");
        return bytes;
    }

    /// <summary>Kernel: arms the meter with <paramref name="fuel"/> units and the default allocation budget.</summary>
    internal static void Arm(long fuel) => Arm(fuel, DefaultAllocationBudget);

    /// <summary>
    /// Kernel: arms the meter before calling extension code. Nested inside another armed call,
    /// the inner call gets at most the outer call's remaining fuel and allocation budget.
    /// Every Arm must be matched by exactly one <see cref="Disarm"/>, in a finally block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Arm(long fuel, long allocationBytes) =>
        (t_state ?? MeterState.ForThread(ref t_state)).Arm(fuel, allocationBytes);

    /// <summary>
    /// Kernel: ends the innermost armed call. The outer call, if any, resumes with its own
    /// state, minus the fuel the inner call burnt. Disarming a disarmed thread does nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Disarm() => t_state?.Disarm();

    /// <summary>
    /// Kernel: on this thread, calls <paramref name="auditor"/> at an outermost Arm (before the call starts, in kernel context)
    /// each time the thread has allocated <paramref name="interval"/> bytes since the last call of it.
    /// </summary>
    internal static void SetAuditor(Action auditor, long interval) =>
        (t_state ?? MeterState.ForThread(ref t_state)).SetAuditor(auditor, interval);

    /// <summary>Kernel: fuel burnt so far by the innermost armed call (0 when disarmed).</summary>
    internal static long FuelUsed => t_state?.FuelUsed ?? 0;

    /// <summary>Kernel: whether a call is armed on this thread.</summary>
    internal static bool IsArmed => t_state is { Depth: > 0 };
}

/// <summary>Thrown into extension code that exhausted its budget; extension code cannot keep it from propagating.</summary>
public sealed class MeterExhaustedException : Exception
{
    internal MeterExhaustedException(string message) : base(message) { }
}
