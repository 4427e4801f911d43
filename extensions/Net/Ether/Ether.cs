using System;
using System.Buffers.Binary;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// Ethernet, SPIN's Plexus Ether: installed on the interface's FrameArrived, it keeps frames addressed to this
/// card or to broadcast, moves the packet's window past the 14-byte header (no copy) and raises its own
/// <see cref="PacketArrived"/> with the ethertype, which the layers above guard on (ARP, IPv4). Frames shorter
/// than a header, or for another card, are dropped. Exports <see cref="IEthernet"/>.
/// </summary>
public sealed class Ether : IExtension, IEthernet
{
    private INetworkInterface _interface = null!;

    public INetworkInterface Interface => _interface;
    public Event<EtherPacket, bool> PacketArrived { get; private set; } = null!;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _interface = context.Import<INetworkInterface>();
        PacketArrived = NetEvents.Declare<EtherPacket>(context.Dispatcher, "Ether.PacketArrived");
        context.Dispatcher.Install(_interface.FrameArrived, Arrived);
        context.Export<IEthernet>(this);
    }

    private bool Arrived(LinkFrame frame)
    {
        var packet = frame.Packet;
        var data = packet.Data;
        if (data.Length < EtherType.HeaderBytes) return false;
        ulong destination = EtherAddress.Read(data), source = EtherAddress.Read(data[6..]);
        if (destination != _interface.MacAddress && destination != EtherAddress.Broadcast) return false;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(data[12..]);
        packet.Adjust(EtherType.HeaderBytes);
        return PacketArrived.Raise(new EtherPacket(type, source, destination, packet));
    }

    public bool Send(ulong destination, ushort type, Mbuf packet)
    {
        if (packet.Headroom < EtherType.HeaderBytes) return false;
        var header = packet.Prepend(EtherType.HeaderBytes);
        EtherAddress.Write(header, destination);
        EtherAddress.Write(header[6..], _interface.MacAddress);
        BinaryPrimitives.WriteUInt16BigEndian(header[12..], type);
        return _interface.Transmit(packet);
    }
}
