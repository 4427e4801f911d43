using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Spindle.Machine.Devices;

/// <summary>
/// The machine's interrupt controller: <see cref="Count"/> numbered lines, a pending mask, and the
/// <see cref="Doorbell"/> that wakes an idle CPU.
/// <para>
/// Contract. Boot code (before the CPU runs, or on the CPU's thread) <see cref="Claim"/>s a line once,
/// naming it and giving the handler the kernel runs for it. A device then calls <see cref="Raise"/> from
/// any host thread: that sets the line's bit in the pending mask (one interlocked OR) and rings the bell;
/// it allocates nothing. The CPU's thread calls <see cref="Drain"/>: it clears the bell, takes the whole
/// mask at once, and runs the handler of every line that was set, lowest line first. Raises of one line
/// before a drain coalesce into one handler run, so a handler must look at its device's state (a
/// receive buffer, a completion queue) rather than count interrupts. A raise that lands while handlers
/// run sets the bit and the bell again: it is serviced by the next drain, never lost. A handler that
/// throws is reported to the drain's fault sink and the other set lines still run.
/// </para>
/// </summary>
public sealed class InterruptLines
{
    /// <summary>How many lines the machine has (the bits of the pending mask).</summary>
    public const int Count = 64;

    private readonly Action?[] _handlers = new Action?[Count];
    private readonly string?[] _names = new string?[Count];
    private readonly object _claimLock = new();
    private ulong _pending;

    /// <summary>The bell a raise rings; the idle CPU waits on it.</summary>
    public Doorbell Bell { get; } = new();

    /// <summary>Lines raised and not yet drained (a snapshot; bit n is line n).</summary>
    public ulong Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Claims the lowest free line for <paramref name="name"/>, whose raises run <paramref name="handler"/>
    /// on the CPU's thread. Returns the line. Throws InvalidOperationException when all lines are taken.
    /// </summary>
    public int Claim(string name, Action handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_claimLock)
        {
            for (int line = 0; line < Count; line++)
            {
                if (_handlers[line] != null) continue;
                _names[line] = name;
                Volatile.Write(ref _handlers[line], handler);
                return line;
            }
        }
        throw new InvalidOperationException($"interrupt line for {name}: all {Count} lines are taken ({string.Join(", ", _names)})");
    }

    /// <summary>The name <paramref name="line"/> was claimed for, or null if it is free.</summary>
    public string? NameOf(int line) => (uint)line < Count ? _names[line] : null;

    /// <summary>
    /// Any thread: marks <paramref name="line"/> pending and wakes the CPU. Allocates nothing.
    /// Throws ArgumentOutOfRangeException for a line that was never claimed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Raise(int line)
    {
        if ((uint)line >= Count || Volatile.Read(ref _handlers[line]) == null) Unclaimed(line);
        Interlocked.Or(ref _pending, 1UL << line);
        Bell.Ring();
    }

    /// <summary>
    /// CPU thread: clears the bell, takes the pending mask and runs the handler of each line in it,
    /// lowest first. A handler that throws is passed with its line to <paramref name="fault"/> and the
    /// drain goes on. Returns the number of handlers run (faulted ones included).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Drain(Action<int, Exception> fault)
    {
        Bell.Clear();                                 // first: a raise after the look below rings again
        return Volatile.Read(ref _pending) == 0 ? 0 : DrainSet(fault);
    }

    // Drain's slow path: some line is pending.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int DrainSet(Action<int, Exception> fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ulong set = Interlocked.Exchange(ref _pending, 0);
        int ran = 0;
        while (set != 0)
        {
            int line = BitOperations.TrailingZeroCount(set);
            set &= set - 1;
            var handler = _handlers[line];
            Debug.Assert(handler != null, "a pending line was claimed (Raise checks)");
            ran++;
            try { handler(); }
            catch (Exception e) { fault(line, e); }
        }
        return ran;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Unclaimed(int line) =>
        throw new ArgumentOutOfRangeException(nameof(line), line, "raise of an interrupt line nobody claimed");
}
