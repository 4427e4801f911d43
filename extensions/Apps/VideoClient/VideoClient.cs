using System;
using Spindle.Sdk;
using Spindle.Sdk.Net;
using Spindle.Sdk.Video;

namespace Spindle.Extensions.Video;

/// <summary>
/// The in-kernel video client (SPIN's video client extension): one handler on Udp's PacketArrived guarded by
/// <c>DestinationPort == VideoWire.ClientPort</c> copies each packet's rows from the network buffer straight into
/// the frame buffer (the frame's top-left corner at the buffer's; what does not fit is clipped). No strand, no
/// copy in between. Who subscribes it to a server is a program's business (it sends the subscription from the
/// client port: the <c>videosub</c> program, or a test).
/// <para>Limitations: packets of different frames are not told apart (a late packet of an older frame is drawn);
/// there is no statistics service (count frames by what the buffer shows).</para>
/// </summary>
public sealed class VideoClient : IExtension
{
    private IFramebuffer _screen = null!;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _screen = context.Import<IFramebuffer>();
        var udp = context.Import<IUdp>();
        context.Dispatcher.Install(udp.PacketArrived, Draw, p => p.DestinationPort == VideoWire.ClientPort);
    }

    private bool Draw(UdpPacket p)
    {
        var data = p.Packet.Data;
        if (!VideoWire.TryRead(data, out _, out int width, out _, out int firstRow, out int rows)) return false;
        int visible = Math.Min(width, _screen.Width) * 4;
        for (int r = 0; r < rows && firstRow + r < _screen.Height; r++)
            _screen.Write((long)(firstRow + r) * _screen.Stride, data.Slice(VideoWire.HeaderBytes + r * width * 4, visible));
        return true;
    }
}
