using System;
using System.Buffers.Binary;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// ICMP (RFC 792), SPIN's Plexus Icmp: installed on Ip's PacketArrived guarded by <c>Protocol == Icmp</c>. A
/// message shorter than its 8-byte header or with a wrong checksum is dropped; a valid one is raised on
/// <see cref="PacketArrived"/> with the packet's window at the message's data. Echo requests are answered by
/// this extension's own handler on that event (guarded <c>Type == 8</c>, installed last): the request is turned
/// into the reply in place and sent back, no copy.
/// <para>Contract of the event: a handler leaves the packet's window where it found it unless it answers.
/// Limitations: no error messages are sent (unreachable, time exceeded) and none are acted on.</para>
/// </summary>
public sealed class Icmp : IExtension, IIcmp
{
    private const byte EchoReply = 0, EchoRequest = 8;
    private const int HeaderBytes = 8;
    private IIp _ip = null!;
    private IMbufPool _pool = null!;

    public Event<IcmpPacket, bool> PacketArrived { get; private set; } = null!;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _ip = context.Import<IIp>();
        _pool = context.Import<IMbufPool>();
        PacketArrived = NetEvents.Declare<IcmpPacket>(context.Dispatcher, "Icmp.PacketArrived");
        context.Dispatcher.Install(_ip.PacketArrived, Arrived, p => p.Protocol == IpProtocol.Icmp);
        context.Dispatcher.Install(PacketArrived, Echo, p => p.Type == EchoRequest && p.Code == 0, InstallOptions.Last);
        context.Export<IIcmp>(this);
    }

    private bool Arrived(IpPacket p)
    {
        var packet = p.Packet;
        var d = packet.Data;
        if (d.Length < HeaderBytes || IpProtocol.Checksum(d) != 0) return false;
        var message = new IcmpPacket(d[0], d[1], p.Source, BinaryPrimitives.ReadUInt16BigEndian(d[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(d[6..]), packet);
        packet.Adjust(HeaderBytes);
        return PacketArrived.Raise(message);
    }

    // An echo request's reply: the same identifier, sequence and data, type 0, back to the sender.
    private bool Echo(IcmpPacket p)
    {
        var packet = p.Packet;
        var h = packet.Prepend(HeaderBytes);
        h[0] = EchoReply;
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], IpProtocol.Checksum(packet.Data));
        return _ip.Send(p.Source, IpProtocol.Icmp, packet);
    }

    public bool SendEcho(uint destination, ushort identifier, ushort sequence, ReadOnlySpan<byte> data)
    {
        if (!_pool.TryAllocate(EtherType.HeaderBytes + 20, out var packet)) return false;
        try
        {
            if (data.Length > packet.Tailroom - HeaderBytes) return false;
            var m = packet.Append(HeaderBytes + data.Length);
            m[0] = EchoRequest;
            m[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(m[2..], 0);
            BinaryPrimitives.WriteUInt16BigEndian(m[4..], identifier);
            BinaryPrimitives.WriteUInt16BigEndian(m[6..], sequence);
            data.CopyTo(m[HeaderBytes..]);
            BinaryPrimitives.WriteUInt16BigEndian(m[2..], IpProtocol.Checksum(m));
            return _ip.Send(destination, IpProtocol.Icmp, packet);
        }
        finally { _pool.Free(packet); }
    }
}
