using System.Net;
using System.Net.Sockets;

namespace Spindle.Machine.Devices;

/// <summary>
/// A <see cref="Nic"/> backend that carries each Ethernet frame in one UDP datagram between two ports of the
/// loopback address (QEMU's <c>-netdev socket,udp=</c>), so that two <c>spindle</c> processes on one host are
/// on one link. Two host threads do the I/O: a reader delivers each datagram from the peer's port into the card,
/// a writer sends what the card queued when kicked.
/// <para>
/// Contract. <see cref="Open"/> binds 127.0.0.1:LOCAL and connects to 127.0.0.1:REMOTE (so only the peer's
/// datagrams are received); it fails with the host's reason before any thread starts. A frame sent while the
/// peer is not up is lost, as on an unplugged cable. Only the loopback address is ever used.
/// </para>
/// </summary>
public sealed class NetUdpTunnel : INicBackend
{
    private readonly Socket _socket;
    private readonly AutoResetEvent _kick = new(false);
    private Thread? _reader, _writer;
    private volatile bool _stop;
    private int _disposed;
    private long _errors;

    private NetUdpTunnel(Socket socket, int localPort, int remotePort) => (_socket, LocalPort, RemotePort) = (socket, localPort, remotePort);

    /// <summary>The loopback port frames arrive on.</summary>
    public int LocalPort { get; }

    /// <summary>The loopback port frames are sent to.</summary>
    public int RemotePort { get; }

    /// <summary>Datagrams that could not be delivered (too long or short, the card's ring full) or sent.</summary>
    public long Errors => Interlocked.Read(ref _errors);

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

    public void Start(Nic nic)
    {
        ArgumentNullException.ThrowIfNull(nic);
        if (_reader != null) throw new InvalidOperationException($"udp:{LocalPort}:{RemotePort}: already started");
        _reader = new Thread(() => Read(nic)) { IsBackground = true, Name = $"udp tunnel {LocalPort} reader" };
        _writer = new Thread(() => Write(nic)) { IsBackground = true, Name = $"udp tunnel {LocalPort} writer" };
        _reader.Start();
        _writer.Start();
    }

    public void Kick() => _kick.Set();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop = true;
        _kick.Set();
        _reader?.Join();
        _writer?.Join();
        _socket.Dispose();
    }

    // Reader thread: wait (a tenth of a second at most, to see a stop) for a datagram, deliver it as a frame.
    private void Read(Nic nic)
    {
        var buffer = new byte[65536];
        while (!_stop)
        {
            try
            {
                if (!_socket.Poll(100_000, SelectMode.SelectRead)) continue;
                int n = _socket.Receive(buffer);
                if (!nic.Deliver(buffer.AsSpan(0, n))) Interlocked.Increment(ref _errors);
            }
            catch (SocketException) { Interlocked.Increment(ref _errors); }   // the peer's port is closed (ICMP unreachable)
        }
    }

    // Writer thread: sends every queued frame as a datagram, then sleeps until kicked.
    private void Write(Nic nic)
    {
        while (!_stop)
        {
            for (var frame = nic.PeekTransmit(); !frame.IsEmpty; frame = nic.PeekTransmit())
            {
                try { _socket.Send(frame); }
                catch (SocketException) { Interlocked.Increment(ref _errors); }  // not up yet: lost, as on an unplugged cable
                nic.TransmitDone();
            }
            _kick.WaitOne();
        }
    }
}
