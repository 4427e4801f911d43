using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Net;

/// <summary>A received ICMP message handed up: type, code, the echo identifier and sequence, the packet at the message's data.</summary>
public readonly record struct IcmpPacket(byte Type, byte Code, uint Source, ushort Identifier, ushort Sequence, Mbuf Packet);

/// <summary>ICMP (Plexus's Icmp): answers echo requests itself; raises <see cref="PacketArrived"/> for every valid message.</summary>
public interface IIcmp
{
    /// <summary>Raised for every message whose checksum is right (guard on <c>Type</c>: 0 echo reply, 8 echo request).</summary>
    Event<IcmpPacket, bool> PacketArrived { get; }

    /// <summary>Sends an echo request carrying <paramref name="data"/>; false if not sent (see <see cref="IIp.Send"/>).</summary>
    bool SendEcho(uint destination, ushort identifier, ushort sequence, ReadOnlySpan<byte> data);
}

/// <summary>A received UDP datagram handed up: ports, addresses, and the packet with its window at the payload (no copy).</summary>
public readonly record struct UdpPacket(ushort SourcePort, ushort DestinationPort, uint Source, uint Destination, Mbuf Packet);

/// <summary>
/// UDP (Plexus's Udp): checks datagrams and demultiplexes them by port through <see cref="PacketArrived"/>
/// (install with a guard <c>p =&gt; p.DestinationPort == 7</c>: the dispatcher's index finds the port's handler).
/// </summary>
public interface IUdp
{
    /// <summary>Raised for every valid datagram; unhandled ones are dropped.</summary>
    Event<UdpPacket, bool> PacketArrived { get; }

    /// <summary>
    /// Prepends a UDP header to <paramref name="payload"/>'s window (which needs <see cref="EtherType.UdpHeadroom"/>
    /// bytes of headroom) and sends it; false if not sent (see <see cref="IIp.Send"/>). The caller keeps the packet.
    /// </summary>
    bool Send(uint destination, ushort sourcePort, ushort destinationPort, Mbuf payload);
}
