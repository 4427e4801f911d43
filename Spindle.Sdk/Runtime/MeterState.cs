using System.Runtime.CompilerServices;

namespace Spindle.Sdk.Runtime;

/// <summary>
/// One host thread's meter (see <see cref="Meter"/>): the innermost armed call's fuel, allocation budget and
/// abort flag, the saved outer calls, and the stack low-water mark. Reached through a single thread-static
/// reference, so that a probe in extension code costs one TLS access and a few field operations.
/// Touched only by its own thread.
/// </summary>
internal sealed class MeterState
{
    /// <summary>Fuel units between two checks of the GC allocation counter.</summary>
    private const long CheckInterval = 1024;

    /// <summary>Stack bytes an extension may descend below a successful runtime probe before probing again.</summary>
    private const int StackStep = 16 << 10;

    // Fast-path state: the slow path runs when Fuel drops below Limit. Disarmed: fuel is huge and the
    // limit is long.MinValue. Aborted: the limit is long.MaxValue so every probe takes the slow path and throws.
    public long Fuel = long.MaxValue;
    public long Limit = long.MinValue;
    public bool Aborted;

    // Enter's stack check: the address of a local below which the runtime's probe must run again. The
    // runtime's probe guarantees (at least 64 KB) of stack below the point it succeeded at, so anything
    // above that point minus StackStep is safe. Starts at the top of the address space: the first probe sets it.
    public nint StackMark = nint.MaxValue;

    public int Depth;               // number of live Arms on this thread
    private long _budget;           // fuel granted by the innermost Arm
    private long _allocBase;        // GC counter at the innermost Arm
    public long AllocCap;           // bytes the innermost call may allocate
    private Frame[] _frames = [];   // saved outer calls; Depth - 1 of them live
    private Action? _auditor;       // the kernel's memory audit for this thread, run at an Arm every _auditInterval bytes
    private long _auditInterval, _auditAt = long.MaxValue;

    private struct Frame
    {
        public long Fuel, Budget, AllocBase, AllocCap;
        public bool Aborted;
    }

    /// <summary>Creates the calling thread's (disarmed) state and stores it in <paramref name="slot"/>, its thread-static.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static MeterState ForThread(ref MeterState? slot) => slot = new MeterState();

    /// <summary>The address of <paramref name="local"/>, a stack local of the caller, as a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint Address(ref byte local) => Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref local);

    /// <summary>See <see cref="Meter.Arm(long, long)"/>.</summary>
    public void Arm(long fuel, long allocationBytes)
    {
        if (fuel < 0) fuel = 0;
        if (allocationBytes < 0) allocationBytes = 0;
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (now >= _auditAt && Depth == 0) now = Audit();   // outermost only: no armed call sees the audit
        if (Depth > 0)
        {
            Push();
            fuel = Math.Min(fuel, Math.Max(Fuel, 0));
            allocationBytes = Math.Min(allocationBytes, Math.Max(AllocCap - (now - _allocBase), 0));
        }
        Depth++;
        _budget = fuel;
        Fuel = fuel;
        Aborted = false;
        _allocBase = now;
        AllocCap = allocationBytes;
        Limit = NextLimit(fuel);
    }

    /// <summary>See <see cref="Meter.SetAuditor"/>.</summary>
    public void SetAuditor(Action auditor, long interval)
    {
        _auditor = auditor;
        _auditInterval = interval;
        if (_auditAt == long.MaxValue) _auditAt = GC.GetAllocatedBytesForCurrentThread() + interval;
    }

    // Runs the auditor (kernel code; it never throws) and returns the allocation counter after it, so that what
    // the audit allocates is not charged to the call about to start.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long Audit()
    {
        _auditAt = long.MaxValue;          // no audit from within the audit
        _auditor?.Invoke();
        long now = GC.GetAllocatedBytesForCurrentThread();
        _auditAt = now + _auditInterval;
        return now;
    }

    /// <summary>See <see cref="Meter.Disarm"/>.</summary>
    public void Disarm()
    {
        if (Depth == 0) return;
        long used = FuelUsed;
        if (--Depth == 0)
        {
            SetDisarmed();
            return;
        }
        ref Frame f = ref _frames[Depth - 1];
        Fuel = f.Fuel - used;
        _budget = f.Budget;
        _allocBase = f.AllocBase;
        AllocCap = f.AllocCap;
        Aborted = f.Aborted;
        Limit = Aborted ? long.MaxValue : NextLimit(Fuel);
    }

    /// <summary>Fuel burnt so far by the innermost armed call (0 when disarmed).</summary>
    public long FuelUsed => Depth == 0 ? 0 : Math.Clamp(_budget - Fuel, 0, _budget);

    /// <summary>Bytes this thread allocated since the innermost Arm.</summary>
    public long AllocatedSinceArm() => GC.GetAllocatedBytesForCurrentThread() - _allocBase;

    /// <summary>Slow path of Tick/Enter: fuel exhausted, periodic allocation check, aborted, or a disarmed thread's fuel wrapped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Slow()
    {
        if (Depth == 0) { SetDisarmed(); return; }
        if (Aborted) ThrowAborted();
        if (Fuel < 0) Abort("instruction budget exhausted");
        if (AllocatedSinceArm() > AllocCap) Abort("allocation budget exhausted");
        Limit = NextLimit(Fuel);
    }

    /// <summary>
    /// Burns <paramref name="units"/> of fuel at once and checks that <paramref name="bytes"/> more fit the allocation
    /// budget (Meter.Charge). Caller: armed.
    /// </summary>
    public void Charge(long units, long bytes)
    {
        if (Aborted) ThrowAborted();
        if (bytes > 0 && bytes > AllocCap - AllocatedSinceArm()) Abort("allocation budget exhausted (base-library allocation charged before the call)");
        Fuel = Fuel >= long.MinValue / 2 + units ? Fuel - units : long.MinValue / 2;   // units >= 0: no overflow either way
        if (Fuel < 0) Abort("instruction budget exhausted (base-library work charged by input size)");
    }

    /// <summary>Enter went below the stack mark: probes the runtime's stack limit; throws if the stack is nearly exhausted, else lowers the mark.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void ProbeStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) Abort("recursion too deep");
        byte here = 0;
        StackMark = Address(ref here) - StackStep;
    }

    /// <summary>Marks the innermost call aborted (only when armed) and throws.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Abort(string why)
    {
        if (Depth > 0)
        {
            Aborted = true;
            Limit = long.MaxValue;
        }
        throw new MeterExhaustedException(why);
    }

    /// <summary>Throws for a probe in a call already aborted.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowAborted() => throw new MeterExhaustedException("extension call already aborted");

    // Saves the innermost call's state so a nested Arm can replace it.
    private void Push()
    {
        if (Depth - 1 >= _frames.Length) Array.Resize(ref _frames, Math.Max(8, _frames.Length * 2));
        _frames[Depth - 1] = new Frame { Fuel = Fuel, Budget = _budget, AllocBase = _allocBase, AllocCap = AllocCap, Aborted = Aborted };
    }

    private void SetDisarmed()
    {
        Fuel = long.MaxValue;
        Limit = long.MinValue;
        _budget = 0;
        Aborted = false;
    }

    // The fuel level at which the slow path next runs: CheckInterval units from now, and never below 0.
    private static long NextLimit(long fuel) => Math.Max(fuel - CheckInterval, 0);
}
