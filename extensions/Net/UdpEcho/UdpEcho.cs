using System;
using Spindle.Sdk;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// The in-kernel UDP echo (RFC 862, port 7): one handler on Udp's PacketArrived guarded by
/// <c>DestinationPort == Port</c>. It sends every datagram's payload back to its sender from the packet it
/// arrived in (the headers are rewritten in the headroom, the payload never copied).
/// </summary>
public sealed class UdpEcho : IExtension
{
    /// <summary>The port it answers.</summary>
    public const ushort Port = 7;

    private IUdp _udp = null!;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _udp = context.Import<IUdp>();
        context.Dispatcher.Install(_udp.PacketArrived, Echo, p => p.DestinationPort == Port);
    }

    private bool Echo(UdpPacket p) => _udp.Send(p.Source, Port, p.SourcePort, p.Packet);
}
