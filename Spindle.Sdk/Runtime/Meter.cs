using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Spindle.Sdk.Runtime;

/// <summary>
/// The meter the trusted compiler threads through extension code. The instrumenter inserts
/// <see cref="Enter"/> at every method entry, <see cref="Tick"/> before every backward branch,
/// <see cref="CatchEntry"/> at the start of every catch and filter block, and <see cref="Alloc"/>
/// before every array allocation and <see cref="StackAlloc"/> before every <c>stackalloc</c>.
/// Extension source may not name this type.
/// </summary>
/// <remarks>
/// State is per host thread. The kernel arms the meter around each call into an extension with a
/// fuel budget (one unit per method entry or backward branch) and an allocation budget (bytes,
/// measured with the GC's per-thread allocation counter). Arm/Disarm nest: an extension handler
/// that raises an event handled by another extension runs the inner handler with at most the
/// outer handler's remaining fuel, and the inner consumption is charged to the outer call too.
/// Once the meter fires, the call is aborted: every later Tick, Enter and CatchEntry on this
/// thread throws again until the kernel disarms, so extension code can neither catch the
/// exception nor keep running inside finally blocks.
/// Disarmed (no kernel call in progress) the meter costs a decrement and a compare and never fires.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Meter
{
    /// <summary>Default per-call allocation budget in bytes.</summary>
    internal const long DefaultAllocationBudget = 32L << 20;

    /// <summary>Largest single <c>stackalloc</c> an extension may make, in bytes.</summary>
    public const int MaxStackAlloc = 8 << 10;

    /// <summary>Fuel units between two checks of the GC allocation counter.</summary>
    private const long CheckInterval = 1024;

    // Fast-path state: the slow path runs when t_fuel drops below t_limit. Disarmed: fuel is
    // huge and the limit is long.MinValue. Aborted: the limit is long.MaxValue so every probe
    // takes the slow path and throws. A fresh thread has both zero, so its first probe takes
    // the slow path, which initialises the disarmed state.
    [ThreadStatic] private static long t_fuel;
    [ThreadStatic] private static long t_limit;
    [ThreadStatic] private static long t_budget;        // fuel granted by the innermost Arm
    [ThreadStatic] private static bool t_aborted;
    [ThreadStatic] private static long t_allocBase;     // GC counter at the innermost Arm
    [ThreadStatic] private static long t_allocCap;      // bytes the innermost call may allocate
    [ThreadStatic] private static Frame[]? t_frames;    // saved outer calls; t_depth of them live
    [ThreadStatic] private static int t_depth;          // number of live Arms on this thread

    private struct Frame
    {
        public long Fuel, Budget, AllocBase, AllocCap;
        public bool Aborted;
    }

    /// <summary>Inserted before backward branches: burns one unit; throws when the fuel is gone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tick()
    {
        if (--t_fuel < t_limit) Slow();
    }

    /// <summary>Inserted at method entry: burns one unit and throws before the host stack can overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter()
    {
        if (--t_fuel < t_limit) Slow();
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) StackExhausted();
    }

    /// <summary>Inserted at the start of every catch and filter block: an aborted extension cannot catch its way out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CatchEntry()
    {
        if (t_aborted) Aborted();
    }

    /// <summary>
    /// Inserted before <c>newarr</c>: charges <paramref name="count"/> elements of
    /// <paramref name="elementSize"/> bytes against the allocation budget before they are
    /// allocated; throws if that would exceed it. Returns <paramref name="count"/> unchanged
    /// (a negative count is left for <c>newarr</c> to refuse).
    /// </summary>
    public static nint Alloc(nint count, int elementSize)
    {
        if (t_depth == 0) return count;
        if (t_aborted) Aborted();
        if (count > 0)
        {
            long bytes = count > long.MaxValue / Math.Max(elementSize, 1) ? long.MaxValue : (long)count * elementSize;
            if (bytes > t_allocCap - AllocatedSinceArm()) Abort("allocation budget exhausted");
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
        if (t_aborted) Aborted();
        if (bytes > MaxStackAlloc) Abort($"stackalloc of {bytes} bytes exceeds {MaxStackAlloc}");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) StackExhausted();
        return bytes;
    }

    /// <summary>Kernel: arms the meter with <paramref name="fuel"/> units and the default allocation budget.</summary>
    internal static void Arm(long fuel) => Arm(fuel, DefaultAllocationBudget);

    /// <summary>
    /// Kernel: arms the meter before calling extension code. Nested inside another armed call,
    /// the inner call gets at most the outer call's remaining fuel and allocation budget.
    /// Every Arm must be matched by exactly one <see cref="Disarm"/>, in a finally block.
    /// </summary>
    internal static void Arm(long fuel, long allocationBytes)
    {
        if (fuel < 0) fuel = 0;
        if (allocationBytes < 0) allocationBytes = 0;
        if (t_depth > 0)
        {
            Push();
            fuel = Math.Min(fuel, Math.Max(t_fuel, 0));
            allocationBytes = Math.Min(allocationBytes, Math.Max(t_allocCap - AllocatedSinceArm(), 0));
        }
        t_depth++;
        t_budget = fuel;
        t_fuel = fuel;
        t_aborted = false;
        t_allocBase = GC.GetAllocatedBytesForCurrentThread();
        t_allocCap = allocationBytes;
        t_limit = NextLimit(fuel);
    }

    /// <summary>
    /// Kernel: ends the innermost armed call. The outer call, if any, resumes with its own
    /// state, minus the fuel the inner call burnt. Disarming a disarmed thread does nothing.
    /// </summary>
    internal static void Disarm()
    {
        if (t_depth == 0) return;
        long used = Math.Clamp(t_budget - t_fuel, 0, t_budget);
        t_depth--;
        if (t_depth == 0) { SetDisarmed(); return; }
        ref Frame f = ref t_frames![t_depth - 1];
        t_fuel = f.Fuel - used;
        t_budget = f.Budget;
        t_allocBase = f.AllocBase;
        t_allocCap = f.AllocCap;
        t_aborted = f.Aborted;
        t_limit = t_aborted ? long.MaxValue : NextLimit(t_fuel);
    }

    /// <summary>Kernel: fuel burnt so far by the innermost armed call (0 when disarmed).</summary>
    internal static long FuelUsed => t_depth == 0 ? 0 : Math.Clamp(t_budget - t_fuel, 0, t_budget);

    /// <summary>Kernel: whether a call is armed on this thread.</summary>
    internal static bool IsArmed => t_depth > 0;

    // Saves the innermost call's state so a nested Arm can replace it.
    private static void Push()
    {
        t_frames ??= new Frame[8];
        if (t_depth - 1 >= t_frames.Length) Array.Resize(ref t_frames, t_frames.Length * 2);
        t_frames[t_depth - 1] = new Frame
        {
            Fuel = t_fuel, Budget = t_budget, AllocBase = t_allocBase, AllocCap = t_allocCap, Aborted = t_aborted,
        };
    }

    private static void SetDisarmed()
    {
        t_fuel = long.MaxValue;
        t_limit = long.MinValue;
        t_budget = 0;
        t_aborted = false;
    }

    private static long AllocatedSinceArm() => GC.GetAllocatedBytesForCurrentThread() - t_allocBase;

    // Slow path of Tick/Enter: first use on a thread, fuel exhausted, periodic allocation check, or aborted.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Slow()
    {
        if (t_depth == 0) { SetDisarmed(); return; }
        if (t_aborted) Aborted();
        if (t_fuel < 0) Abort("instruction budget exhausted");
        if (AllocatedSinceArm() > t_allocCap) Abort("allocation budget exhausted");
        t_limit = NextLimit(t_fuel);
    }

    // The fuel level at which the slow path next runs: CheckInterval units from now, and never below 0.
    private static long NextLimit(long fuel) => Math.Max(fuel - CheckInterval, 0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StackExhausted() => Abort("recursion too deep");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Aborted() => throw new MeterExhaustedException("extension call already aborted");

    // Marks the innermost call aborted (outside any nesting: only when armed) and throws.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Abort(string why)
    {
        if (t_depth > 0)
        {
            t_aborted = true;
            t_limit = long.MaxValue;
        }
        throw new MeterExhaustedException(why);
    }
}

/// <summary>Thrown into extension code that exhausted its budget; extension code cannot keep it from propagating.</summary>
public sealed class MeterExhaustedException : Exception
{
    internal MeterExhaustedException(string message) : base(message) { }
}
