namespace Spindle.Sdk.Dispatcher;

/// <summary>Where a new handler goes in its event's order.</summary>
public enum HandlerOrder
{
    /// <summary>After every handler installed so far (the default).</summary>
    Last,
    /// <summary>Before every handler installed so far.</summary>
    First,
    /// <summary>Immediately before the anchor binding.</summary>
    Before,
    /// <summary>Immediately after the anchor binding.</summary>
    After,
}

/// <summary>How a handler is installed: its place in the order, and whether it is asynchronous or ephemeral.</summary>
public readonly record struct InstallOptions
{
    /// <summary>Where the handler goes.</summary>
    public HandlerOrder Order { get; init; }

    /// <summary>The binding that <see cref="HandlerOrder.Before"/>/<see cref="HandlerOrder.After"/> refer to; same event.</summary>
    public IBinding? Anchor { get; init; }

    /// <summary>
    /// Asynchronous: a raise whose guard passes queues the call on the kernel work queue instead of making it;
    /// the handler runs when the kernel drains the queue, and contributes no result.
    /// </summary>
    public bool Async { get; init; }

    /// <summary>
    /// Ephemeral: each invocation may burn at most this much meter fuel and is cut off (as if it had not
    /// fired) when it runs out. 0 means not ephemeral. Must not be negative.
    /// </summary>
    public long EphemeralFuel { get; init; }

    /// <summary>Install first in the order.</summary>
    public static InstallOptions First => new() { Order = HandlerOrder.First };

    /// <summary>Install last in the order (the default).</summary>
    public static InstallOptions Last => new() { Order = HandlerOrder.Last };

    /// <summary>Install immediately before <paramref name="anchor"/>.</summary>
    public static InstallOptions Before(IBinding anchor) => new() { Order = HandlerOrder.Before, Anchor = anchor };

    /// <summary>Install immediately after <paramref name="anchor"/>.</summary>
    public static InstallOptions After(IBinding anchor) => new() { Order = HandlerOrder.After, Anchor = anchor };
}
