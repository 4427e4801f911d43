using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Net;

/// <summary>A frame the card received, in a packet the kernel lent: its window is the whole frame (Ethernet header first).</summary>
/// <param name="Packet">The frame; valid only during the raise (the kernel frees it after the handlers return).</param>
public readonly record struct LinkFrame(Mbuf Packet);

/// <summary>
/// A network interface as the protocol extensions see it: the card's address and MTU, the address the system
/// was given on it, the event the kernel raises for every received frame, and transmission.
/// <para>
/// Contract. <see cref="FrameArrived"/> is raised on the CPU's thread, one frame per raise, after the card's
/// interrupt; the packet belongs to the kernel and is freed when the raise returns, so a handler that answers
/// writes its answer into it, or into a packet of its own, and sends before returning. <see cref="Transmit"/>
/// copies the frame into the card (the caller keeps its packet). Nothing here allocates per frame.
/// </para>
/// </summary>
public interface INetworkInterface
{
    /// <summary>The interface's name (the card's).</summary>
    string Name { get; }

    /// <summary>The card's 48-bit MAC address.</summary>
    ulong MacAddress { get; }

    /// <summary>The largest IP packet a frame carries (1500).</summary>
    int Mtu { get; }

    /// <summary>The IPv4 address given to this system on the interface (host byte order; 0 if none).</summary>
    uint Address { get; }

    /// <summary>The length of the network prefix of <see cref="Address"/> (0..32).</summary>
    int PrefixLength { get; }

    /// <summary>The default gateway's IPv4 address (0 if none).</summary>
    uint Gateway { get; }

    /// <summary>Raised once per received frame.</summary>
    Event<LinkFrame, bool> FrameArrived { get; }

    /// <summary>
    /// Sends <paramref name="frame"/>'s window (a whole Ethernet frame, 14..MTU+14 bytes). False if the card's
    /// transmit ring is full or the frame's length is out of range: the frame is not sent (and counted as dropped).
    /// </summary>
    bool Transmit(Mbuf frame);

    /// <summary>Frames received, frames dropped on the way in (no packet free, ring full), frames sent, frames not sent.</summary>
    NetworkCounts Counts { get; }
}

/// <summary>An interface's frame counters.</summary>
public readonly record struct NetworkCounts(long Received, long ReceiveDropped, long Transmitted, long TransmitDropped);

/// <summary>How each protocol layer declares its PacketArrived event.</summary>
public static class NetEvents
{
    /// <summary>
    /// Declares, for the caller's domain, a packet event named <paramref name="name"/> whose raise answers false
    /// (not taken) until a handler whose guard accepts the packet is installed; handlers' results: the last wins.
    /// </summary>
    public static Event<T, bool> Declare<T>(IDispatcher dispatcher, string name)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        var ev = dispatcher.Declare<T, bool>(name, static _ => false, out var intrinsic, new EventOptions<T, bool> { Default = static _ => false });
        intrinsic.Uninstall();
        return ev;
    }
}
