using System;
using Spindle.Sdk;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// The in-kernel UDP echo (RFC 862, port 7): one handler on Udp's PacketArrived guarded by
/// <c>DestinationPort == Port</c>. It sends every datagram's payload back to its sender from the packet it
/// arrived in (the headers are rewritten in the headroom, the payload never copied). It does not answer a
/// datagram from port 7 or to the limited broadcast address. Limitations: a subnet broadcast is still answered.
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

    // Not to another echo (two would bounce one datagram forever), nor to a datagram sent to the limited
    // broadcast address or from no address (an amplifier).
    private bool Echo(UdpPacket p) =>
        p.SourcePort != Port && p.Destination != uint.MaxValue && p.Source != 0 && _udp.Send(p.Source, Port, p.SourcePort, p.Packet);
}
