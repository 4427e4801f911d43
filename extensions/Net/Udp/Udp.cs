using System;
using System.Buffers.Binary;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// UDP (RFC 768), SPIN's Plexus Udp: installed on Ip's PacketArrived guarded by <c>Protocol == Udp</c>. A
/// datagram whose length field does not fit, or whose checksum (when the sender gave one) is wrong, is
/// dropped; a valid one has its window moved past the 8-byte header and trimmed to its length (no copy) and is
/// raised on <see cref="PacketArrived"/>, where handlers guard on the destination port: the dispatcher's index
/// finds a port's handler among thousands in one look-up.
/// <para>Limitations: an unclaimed port is dropped silently (no ICMP port unreachable).</para>
/// </summary>
public sealed class Udp : IExtension, IUdp
{
    private const int HeaderBytes = 8;
    private IIp _ip = null!;

    public Event<UdpPacket, bool> PacketArrived { get; private set; } = null!;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _ip = context.Import<IIp>();
        PacketArrived = NetEvents.Declare<UdpPacket>(context.Dispatcher, "Udp.PacketArrived");
        context.Dispatcher.Install(_ip.PacketArrived, Arrived, p => p.Protocol == IpProtocol.Udp);
        context.Export<IUdp>(this);
    }

    private bool Arrived(IpPacket p)
    {
        var packet = p.Packet;
        var d = packet.Data;
        if (d.Length < HeaderBytes) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(d[4..]);
        if (length < HeaderBytes || length > d.Length) return false;
        d = d[..length];
        if (BinaryPrimitives.ReadUInt16BigEndian(d[6..]) != 0 && IpProtocol.Checksum(d, PseudoHeader(p.Source, p.Destination, length)) != 0) return false;
        ushort sourcePort = BinaryPrimitives.ReadUInt16BigEndian(d), destinationPort = BinaryPrimitives.ReadUInt16BigEndian(d[2..]);
        packet.Trim(packet.Length - length);
        packet.Adjust(HeaderBytes);
        return PacketArrived.Raise(new UdpPacket(sourcePort, destinationPort, p.Source, p.Destination, packet));
    }

    public bool Send(uint destination, ushort sourcePort, ushort destinationPort, Mbuf payload)
    {
        int length = payload.Length + HeaderBytes;
        if (length > ushort.MaxValue || payload.Headroom < EtherType.UdpHeadroom) return false;
        var h = payload.Prepend(HeaderBytes);
        BinaryPrimitives.WriteUInt16BigEndian(h, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], 0);
        ushort sum = IpProtocol.Checksum(payload.Data, PseudoHeader(_ip.Address, destination, length));
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], sum == 0 ? (ushort)0xffff : sum);
        return _ip.Send(destination, IpProtocol.Udp, payload);
    }

    // The one's-complement sum of the IPv4 pseudo-header: addresses, protocol, UDP length.
    private static uint PseudoHeader(uint source, uint destination, int length) =>
        (source >> 16) + (source & 0xffff) + (destination >> 16) + (destination & 0xffff) + IpProtocol.Udp + (uint)length;
}
