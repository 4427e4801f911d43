using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Net;

/// <summary>A received Ethernet frame handed up: its header fields, and the packet with its window at the payload.</summary>
/// <param name="Type">The ethertype (0x0800 IPv4, 0x0806 ARP).</param>
/// <param name="Source">The sender's MAC address.</param>
/// <param name="Destination">The MAC address it was sent to (this card's, or broadcast).</param>
/// <param name="Packet">The frame's packet, its window moved past the header (no copy); valid during the raise.</param>
public readonly record struct EtherPacket(ushort Type, ulong Source, ulong Destination, Mbuf Packet);

/// <summary>
/// The Ethernet layer (Plexus's Ether): demultiplexes frames by ethertype through <see cref="PacketArrived"/>
/// (install with a guard <c>p =&gt; p.Type == EtherType.Ip</c>) and sends payloads in frames.
/// </summary>
public interface IEthernet
{
    /// <summary>The interface below.</summary>
    INetworkInterface Interface { get; }

    /// <summary>Raised for every frame addressed to this card or to broadcast.</summary>
    Event<EtherPacket, bool> PacketArrived { get; }

    /// <summary>
    /// Prepends a header (to <paramref name="destination"/>, of <paramref name="type"/>) to <paramref name="packet"/>'s
    /// window and transmits it; false if not sent. The caller keeps the packet (its window now starts at the header).
    /// </summary>
    bool Send(ulong destination, ushort type, Mbuf packet);
}

/// <summary>Ethernet's types and sizes.</summary>
public static class EtherType
{
    public const ushort Ip = 0x0800, Arp = 0x0806;

    /// <summary>Bytes of an Ethernet header.</summary>
    public const int HeaderBytes = 14;

    /// <summary>Headroom a packet sent down from UDP needs: Ethernet, IPv4 and UDP headers.</summary>
    public const int UdpHeadroom = HeaderBytes + 20 + 8;
}

/// <summary>Address resolution (Plexus's Arp): IPv4 address to MAC address on the interface.</summary>
public interface IArp
{
    /// <summary>
    /// The MAC address of <paramref name="address"/> if known; otherwise false, and a request is broadcast (at
    /// most one per address per second) so that a later call finds it.
    /// </summary>
    bool TryResolve(uint address, out ulong mac);

    /// <summary>Addresses resolved now.</summary>
    int Count { get; }
}

/// <summary>48-bit MAC addresses as they sit in frames (first octet first) and in a ulong (first octet in bits 40..47).</summary>
public static class EtherAddress
{
    /// <summary>The broadcast address.</summary>
    public const ulong Broadcast = 0xffff_ffff_ffffUL;

    /// <summary>The address in the first six bytes of <paramref name="bytes"/>.</summary>
    public static ulong Read(ReadOnlySpan<byte> bytes) =>
        (ulong)bytes[0] << 40 | (ulong)bytes[1] << 32 | (ulong)bytes[2] << 24 | (ulong)bytes[3] << 16 | (ulong)bytes[4] << 8 | bytes[5];

    /// <summary>Writes <paramref name="mac"/> into the first six bytes of <paramref name="bytes"/>.</summary>
    public static void Write(Span<byte> bytes, ulong mac)
    {
        for (int i = 0; i < 6; i++) bytes[i] = (byte)(mac >> (40 - 8 * i));
    }
}
