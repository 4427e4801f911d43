using System.Net;
using System.Net.Sockets;

namespace Spindle.Machine.Devices;

/// <summary>
/// A <see cref="Nic"/> backend that carries each Ethernet frame in one UDP datagram between two ports of the
/// loopback address (QEMU's <c>-netdev socket,udp=</c>), so that two <c>spindle</c> processes on one host are
/// on one link. Two host threads do the I/O (<see cref="NetHostBackend"/>): a reader delivers each datagram from
/// the peer's port into the card, a writer sends what the card queued when kicked.
/// <para>
/// Contract. <see cref="Open"/> binds 127.0.0.1:LOCAL and connects to 127.0.0.1:REMOTE (so only the peer's
/// datagrams are received); it fails with the host's reason before any thread starts. A frame sent while the
/// peer is not up is lost, as on an unplugged cable. Only the loopback address is ever used.
/// </para>
/// </summary>
public sealed class NetUdpTunnel : NetHostBackend
{
    private readonly Socket _socket;

    private NetUdpTunnel(Socket socket, int localPort, int remotePort) : base($"udp:{localPort}:{remotePort}") =>
        (_socket, LocalPort, RemotePort) = (socket, localPort, remotePort);

    /// <summary>The loopback port frames arrive on.</summary>
    public int LocalPort { get; }

    /// <summary>The loopback port frames are sent to.</summary>
    public int RemotePort { get; }

    /// <summary>Binds 127.0.0.1:<paramref name="localPort"/> and connects to 127.0.0.1:<paramref name="remotePort"/>; null and the reason on failure.</summary>
    public static NetUdpTunnel? Open(int localPort, int remotePort, out string? error)
    {
        error = null;
        if (localPort is < 1 or > 65535 || remotePort is < 1 or > 65535) { error = $"udp:{localPort}:{remotePort}: ports are 1..65535"; return null; }
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, localPort));
            socket.Connect(new IPEndPoint(IPAddress.Loopback, remotePort));
            return new NetUdpTunnel(socket, localPort, remotePort);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            error = $"udp:{localPort}:{remotePort}: {e.Message}";
            return null;
        }
    }

    // Reader thread: wait (a tenth of a second at most, to see a stop) for a datagram, deliver it as a frame.
    protected override void Read(Nic nic)
    {
        var buffer = new byte[65536];
        while (!Stopping)
        {
            try
            {
                if (!_socket.Poll(100_000, SelectMode.SelectRead)) continue;
                if (!nic.Deliver(buffer.AsSpan(0, _socket.Receive(buffer)))) CountError();
            }
            catch (SocketException) { CountError(); }   // the peer's port is closed (ICMP unreachable)
        }
    }

    // Not up yet at the other end: lost, as on an unplugged cable.
    protected override bool Send(ReadOnlySpan<byte> frame)
    {
        try { _socket.Send(frame); return true; }
        catch (SocketException) { return false; }
    }

    protected override void Close() => _socket.Dispose();
}
