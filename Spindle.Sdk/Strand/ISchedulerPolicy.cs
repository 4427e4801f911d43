namespace Spindle.Sdk.Strand;

/// <summary>
/// A scheduling policy: decides which ready strand runs next and for how long. The kernel calls it
/// only from the CPU's thread, one call at a time. A policy that throws, hands back a strand that is
/// not ready, or loses a ready strand is uninstalled and round-robin takes over.
/// Steady-state calls (Enqueue, PickNext, SliceFor, Charge) should not allocate.
/// </summary>
public interface ISchedulerPolicy
{
    /// <summary>The policy's name, for diagnostics.</summary>
    string Name { get; }

    /// <summary>A strand joins the policy (created, or present when the policy is installed); attach bookkeeping here.</summary>
    void Admit(StrandHandle strand);

    /// <summary>The strand is ready: queue it. It was admitted and is not queued.</summary>
    void Enqueue(StrandHandle strand, EnqueueReason reason);

    /// <summary>Removes and returns the ready strand to run next; null only if none is queued.</summary>
    StrandHandle? PickNext();

    /// <summary>The instruction budget of <paramref name="strand"/>'s next slice (greater than 0).</summary>
    long SliceFor(StrandHandle strand);

    /// <summary>
    /// After a slice: <paramref name="strand"/> used <paramref name="used"/> instructions of its slice.
    /// Called before the strand is queued again; the strand is not queued.
    /// </summary>
    void Charge(StrandHandle strand, long used);

    /// <summary>The strand leaves the policy (exited, or the policy is being replaced): unqueue it if queued and drop its bookkeeping.</summary>
    void Retire(StrandHandle strand);
}

/// <summary>A proportional-share policy (stride, lottery): a strand's CPU share is its tickets over all tickets.</summary>
public interface IProportionalShare
{
    /// <summary>Gives <paramref name="strand"/> <paramref name="tickets"/> tickets (1..<see cref="MaxTickets"/>); takes effect from its next slice.</summary>
    void SetTickets(StrandHandle strand, int tickets);

    /// <summary>The strand's tickets.</summary>
    int GetTickets(StrandHandle strand);

    /// <summary>Largest ticket count a strand may hold.</summary>
    public const int MaxTickets = 1 << 20;
}

/// <summary>The capability an install returns: holding it is the right to uninstall the policy.</summary>
public interface IPolicyBinding
{
    /// <summary>True while the policy is the global policy.</summary>
    bool Installed { get; }

    /// <summary>Uninstalls the policy; round-robin becomes the global policy. False if it was no longer installed.</summary>
    bool Uninstall();
}
