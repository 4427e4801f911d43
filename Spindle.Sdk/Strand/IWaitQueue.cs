namespace Spindle.Sdk.Strand;

/// <summary>
/// A FIFO of blocked strands (SPIN's Block/Unblock). Waiting raises the Block event, waking raises
/// Unblock. Operations run on the CPU's thread (from a strand, or from an interrupt handler).
/// </summary>
public interface IWaitQueue
{
    /// <summary>The queue's name, for diagnostics.</summary>
    string Name { get; }

    /// <summary>Strands waiting.</summary>
    int Count { get; }

    /// <summary>
    /// Blocks <paramref name="self"/>, which must be the running strand, on this queue, for at most
    /// <paramref name="timeoutNs"/> nanoseconds of the scheduler clock (negative: no timeout).
    /// A kernel strand awaits the result (true if woken, false if timed out); a user strand's
    /// slice returns <see cref="SliceOutcome.Blocked"/>. Throws <see cref="StrandException"/> if
    /// <paramref name="self"/> is not the running strand.
    /// </summary>
    StrandAwaitable Wait(StrandHandle self, long timeoutNs = -1);

    /// <summary>Wakes the strand that has waited longest; false if none waits.</summary>
    bool WakeOne();

    /// <summary>Wakes every waiting strand, oldest first; returns how many.</summary>
    int WakeAll();
}
