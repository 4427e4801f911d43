using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Net;

/// <summary>A received IPv4 datagram handed up: its header fields, and the packet with its window at the payload.</summary>
/// <param name="Protocol">The payload's protocol (1 ICMP, 17 UDP).</param>
/// <param name="Source">The sender's address (host byte order).</param>
/// <param name="Destination">The address it was sent to.</param>
/// <param name="Ttl">Its time to live.</param>
/// <param name="Packet">The packet, its window moved past the IP header and trimmed to the datagram's length; valid during the raise.</param>
public readonly record struct IpPacket(byte Protocol, uint Source, uint Destination, byte Ttl, Mbuf Packet);

/// <summary>
/// IPv4 (Plexus's Ip): checks received datagrams and demultiplexes them by protocol through
/// <see cref="PacketArrived"/> (install with a guard <c>p =&gt; p.Protocol == IpProtocol.Udp</c>); sends
/// datagrams to the next hop (the destination on the local network, else the gateway).
/// </summary>
public interface IIp
{
    /// <summary>This system's address.</summary>
    uint Address { get; }

    /// <summary>Raised for every valid datagram addressed to this system (or broadcast).</summary>
    Event<IpPacket, bool> PacketArrived { get; }

    /// <summary>
    /// Prepends an IPv4 header (from this system to <paramref name="destination"/>, carrying <paramref name="protocol"/>)
    /// to <paramref name="packet"/>'s window and sends it. False if not sent: no route, the next hop's MAC not yet
    /// resolved (a request went out; send again later), the card's ring full, or the datagram longer than the MTU.
    /// </summary>
    bool Send(uint destination, byte protocol, Mbuf packet);
}

/// <summary>IPv4 protocol numbers and helpers.</summary>
public static class IpProtocol
{
    public const byte Icmp = 1, Tcp = 6, Udp = 17;

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>, starting from the partial sum <paramref name="sum"/>.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data, uint sum = 0) => (ushort)~Fold(Sum(data, sum));

    /// <summary>The unfolded one's-complement sum of <paramref name="data"/> added to <paramref name="sum"/> (16-bit big-endian words).</summary>
    public static uint Sum(ReadOnlySpan<byte> data, uint sum = 0)
    {
        ulong s = sum;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) s += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) s += (uint)(data[i] << 8);
        while (s >> 32 != 0) s = (s & 0xffffffff) + (s >> 32);
        return (uint)s;
    }

    /// <summary>Folds a 32-bit one's-complement sum to 16 bits.</summary>
    public static uint Fold(uint sum)
    {
        sum = (sum & 0xffff) + (sum >> 16);
        return (sum & 0xffff) + (sum >> 16);
    }

    /// <summary>The dotted-quad text of <paramref name="address"/>.</summary>
    public static string Format(uint address) => $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";
}
