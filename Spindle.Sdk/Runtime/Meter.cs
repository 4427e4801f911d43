using System.ComponentModel;

namespace Spindle.Sdk.Runtime;

/// <summary>
/// The meter the trusted compiler threads through extension code: a fuel count decremented on
/// every backward branch and a depth check on every call. Extension source may not name this
/// type; only the instrumenter inserts calls to it. The kernel arms it around each call into an
/// extension.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Meter
{
    [ThreadStatic] private static long t_fuel;
    [ThreadStatic] private static bool t_armed;
    [ThreadStatic] private static bool t_aborted;

    /// <summary>Inserted on backward branches: burns one unit; throws when the fuel is gone.</summary>
    public static void Tick()
    {
        if (t_armed && --t_fuel < 0) Exhausted();
    }

    /// <summary>Inserted at method entry: throws before the host stack can overflow.</summary>
    public static void Enter()
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            Abort("recursion too deep");
    }

    /// <summary>Inserted at the start of every catch and filter block: an aborted extension cannot catch its way out.</summary>
    public static void CatchEntry()
    {
        if (t_aborted) throw new MeterExhaustedException("extension aborted");
    }

    private static void Exhausted() => Abort("instruction budget exhausted");

    private static void Abort(string why)
    {
        t_aborted = true;
        throw new MeterExhaustedException(why);
    }

    /// <summary>Kernel: arms the meter with <paramref name="fuel"/> units before calling extension code.</summary>
    internal static void Arm(long fuel) { t_fuel = fuel; t_armed = true; t_aborted = false; }

    /// <summary>Kernel: disarms after the call returns or faults.</summary>
    internal static void Disarm() { t_armed = false; t_aborted = false; }
}

/// <summary>Thrown into extension code that exhausted its budget; extension code cannot keep it from propagating.</summary>
public sealed class MeterExhaustedException : Exception
{
    internal MeterExhaustedException(string message) : base(message) { }
}
