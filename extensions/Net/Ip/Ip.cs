using System;
using System.Buffers.Binary;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// IPv4 (RFC 791), SPIN's Plexus Ip: installed on Ether's PacketArrived guarded by <c>Type == Ip</c>. A datagram
/// is handed up only if its version is 4, its header length and total length fit the frame, its header checksum
/// is right, it is addressed to this system (or to a broadcast address) and it is not a fragment; the packet's
/// window is moved past the header and trimmed to the total length (link padding goes), no copy, and
/// <see cref="PacketArrived"/> is raised with the protocol, which ICMP and UDP guard on. Sending picks the next
/// hop (the destination if it is on the interface's network, else the default gateway) and resolves it with ARP.
/// <para>Limitations: fragments are dropped (no reassembly) and nothing is sent larger than the MTU (no
/// fragmentation); one interface, one address, one default route; options are skipped, never acted on.</para>
/// </summary>
public sealed class Ip : IExtension, IIp
{
    private const int HeaderBytes = 20;
    private INetworkInterface _interface = null!;
    private IEthernet _ether = null!;
    private IArp _arp = null!;
    private uint _mask;
    private ushort _identification;

    public uint Address => _interface.Address;
    public Event<IpPacket, bool> PacketArrived { get; private set; } = null!;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _ether = context.Import<IEthernet>();
        _arp = context.Import<IArp>();
        _interface = _ether.Interface;
        _mask = _interface.PrefixLength >= 32 ? ~0u : ~(~0u >> _interface.PrefixLength);
        PacketArrived = NetEvents.Declare<IpPacket>(context.Dispatcher, "Ip.PacketArrived");
        context.Dispatcher.Install(_ether.PacketArrived, Arrived, p => p.Type == EtherType.Ip);
        context.Export<IIp>(this);
    }

    private bool Arrived(EtherPacket p)
    {
        var packet = p.Packet;
        var d = packet.Data;
        if (d.Length < HeaderBytes || d[0] >> 4 != 4) return false;
        int headerBytes = (d[0] & 15) * 4, total = BinaryPrimitives.ReadUInt16BigEndian(d[2..]);
        if (headerBytes < HeaderBytes || total < headerBytes || total > d.Length) return false;
        if (IpProtocol.Checksum(d[..headerBytes]) != 0) return false;
        if ((BinaryPrimitives.ReadUInt16BigEndian(d[6..]) & 0x3fff) != 0) return false;   // more fragments, or an offset
        uint source = BinaryPrimitives.ReadUInt32BigEndian(d[12..]), destination = BinaryPrimitives.ReadUInt32BigEndian(d[16..]);
        if (!ForMe(destination)) return false;
        byte protocol = d[9], ttl = d[8];
        packet.Trim(d.Length - total);
        packet.Adjust(headerBytes);
        return PacketArrived.Raise(new IpPacket(protocol, source, destination, ttl, packet));
    }

    private bool ForMe(uint destination) =>
        destination == Address || destination == 0xffffffff || (_mask != ~0u && destination == (Address | ~_mask));

    public bool Send(uint destination, byte protocol, Mbuf packet)
    {
        int total = packet.Length + HeaderBytes;
        if (total > _interface.Mtu || packet.Headroom < HeaderBytes + EtherType.HeaderBytes || Address == 0) return false;
        ulong mac;
        if (destination == 0xffffffff || destination == (Address | ~_mask)) mac = EtherAddress.Broadcast;
        else
        {
            uint hop = (destination & _mask) == (Address & _mask) ? destination : _interface.Gateway;
            if (hop == 0 || !_arp.TryResolve(hop, out mac)) return false;
        }
        var h = packet.Prepend(HeaderBytes);
        h[0] = 0x45;
        h[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)total);
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], _identification++);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], 0x4000);               // don't fragment
        h[8] = 64;
        h[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(h[12..], Address);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], destination);
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], IpProtocol.Checksum(h[..HeaderBytes]));
        return _ether.Send(mac, EtherType.Ip, packet);
    }
}
