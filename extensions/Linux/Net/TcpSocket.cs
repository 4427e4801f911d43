using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;
using Spindle.Sdk.Strand;
using static Spindle.Extensions.Linux.Net.SocketAbi;

namespace Spindle.Extensions.Linux.Net;

/// <summary>
/// What AF_INET stream sockets share: the TCP service and the queue their waiters block on. One handler on
/// <see cref="ITcp.ReadinessChanged"/>, installed through the personality's dispatcher, wakes that queue and
/// the pollers whenever any connection gains a readiness bit. Used on the CPU's thread only.
/// </summary>
internal sealed class TcpSockets
{
    private readonly IWaitQueue _queue;
    private readonly IWaitQueue? _pollers;

    public TcpSockets(ITcp tcp, IDispatcher dispatcher, IWaitQueue queue, IWaitQueue? pollers)
    {
        Tcp = tcp;
        _queue = queue;
        _pollers = pollers;
        dispatcher.Install(tcp.ReadinessChanged, Changed);
    }

    public ITcp Tcp { get; }
    public IWaitQueue Queue => _queue;

    private bool Changed(TcpReadinessChange change)
    {
        _queue.WakeAll();
        _pollers?.WakeAll();
        return true;
    }
}

/// <summary>
/// An AF_INET SOCK_STREAM socket over <see cref="ITcp"/>: fresh (perhaps bound), listening (an
/// <see cref="ITcpListener"/>) or a connection (an <see cref="ITcpConnection"/>, connecting or established).
/// connect on a blocking socket waits until the connection is established or fails; on a non-blocking one it
/// answers EINPROGRESS, and poll reports POLLOUT (established) or POLLERR (SO_ERROR tells why). Options set
/// before the connection exists are kept and applied when it does.
/// Limitations: bind only records the address (a port in use is reported by listen or connect, as EADDRINUSE);
/// a connect that reaches SO_SNDTIMEO answers EAGAIN (Linux: EINPROGRESS); shutdown of a listener answers ENOTCONN.
/// </summary>
internal sealed class TcpSocket : Socket
{
    private const short POLLRDHUP = 0x2000;
    private static readonly int OptionCount = Enum.GetValues<TcpOption>().Length;

    private readonly TcpSockets _stack;
    private readonly int[] _options;            // each TcpOption's value as set, or int.MinValue (never set)
    private TcpEndpoint _local;
    private ITcpListener? _listener;
    private ITcpConnection? _connection;
    private bool _connecting;                   // connect started and not yet reported done
    private bool _waitingConnect;               // a blocking connect waits for the outcome

    public TcpSocket(TcpSockets stack, int flags) : base(SOCK_STREAM, flags)
    {
        _stack = stack;
        _options = new int[OptionCount];
        Array.Fill(_options, int.MinValue);
    }

    // An accepted connection.
    private TcpSocket(TcpSockets stack, ITcpConnection connection, int flags) : this(stack, flags) => _connection = connection;

    public override int Family => AF_INET;
    public override int Protocol => IPPROTO_TCP;
    public override bool Listening => _listener != null;
    public override IWaitQueue? WaitQueue => _stack.Queue;
    public override int Available => _connection?.Available ?? 0;
    private ITcpSocket? Handle => (ITcpSocket?)_connection ?? _listener;

    public override int Bind(in Endpoint at)
    {
        if (at.Family != AF_INET) return -EAFNOSUPPORT;
        if (Handle != null || _local.Port != 0) return -Errno.EINVAL;
        _local = new TcpEndpoint(at.Address, at.Port);
        return 0;
    }

    public override int Listen(int backlog)
    {
        if (_connection != null) return -Errno.EINVAL;
        if (_listener != null) return 0;
        int r = _stack.Tcp.Listen(_local, Math.Max(backlog, 1), out _listener);
        if (r < 0) return r;
        Adopt(_listener!);
        return 0;
    }

    public override int Accept(int flags, out Socket? accepted)
    {
        accepted = null;
        if (_listener == null) return -Errno.EINVAL;
        int r = _listener.Accept(out ITcpConnection? connection);
        if (r < 0) return r;
        accepted = new TcpSocket(_stack, connection!, flags);
        return 0;
    }

    // 0 connected; -EINPROGRESS (non-blocking) or -EAGAIN (blocking: the caller waits and calls again) while
    // connecting; the failure once it failed.
    public override int Connect(in Endpoint to)
    {
        if (_listener != null) return -EISCONN;
        if (_connection == null)
        {
            if (to.Family != AF_INET) return to.Family == AF_UNSPEC ? 0 : -EAFNOSUPPORT;
            int r = _stack.Tcp.Connect(new TcpEndpoint(to.Address, to.Port), _local, out _connection);
            if (r < 0) return r;
            Adopt(_connection!);
            _connecting = true;
            if (NonBlocking) return -EINPROGRESS;
            _waitingConnect = true;
        }
        if (!_connecting) return -EISCONN;
        var state = _connection!.State;
        if (state is TcpState.SynSent or TcpState.SynReceived && (_connection.Readiness & TcpReadiness.Error) == 0)
            return _waitingConnect || !NonBlocking ? -Errno.EAGAIN : -EALREADY;
        _connecting = false;
        int error = _connection.TakeError();
        bool reported = !_waitingConnect;
        _waitingConnect = false;
        if (error < 0) return error;
        return reported ? -EISCONN : 0;
    }

    // Applies the options set so far to the stack's socket.
    private void Adopt(ITcpSocket socket)
    {
        for (int o = 0; o < _options.Length; o++)
            if (_options[o] != int.MinValue) socket.SetOption((TcpOption)o, _options[o]);
    }

    public override long Send(ReadOnlySpan<byte> data, in Endpoint? to, int flags)
    {
        if (_connection == null) return -ENOTCONN;
        if (_connecting && _connection.State is TcpState.SynSent or TcpState.SynReceived) return -Errno.EAGAIN;
        return _connection.Send(data);
    }

    public override long Receive(Span<byte> buffer, int flags, Span<byte> from, out int fromLength)
    {
        fromLength = 0;
        if (_connection == null) return -ENOTCONN;
        if (_connecting && _connection.State is TcpState.SynSent or TcpState.SynReceived) return -Errno.EAGAIN;
        if (buffer.Length == 0) return 0;
        return _connection.Receive(buffer, (flags & MSG_PEEK) != 0);
    }

    public override int Shutdown(int how)
    {
        if (how is < SHUT_RD or > SHUT_RDWR) return -Errno.EINVAL;
        if (_connection == null) return -ENOTCONN;
        return _connection.Shutdown(read: how != SHUT_WR, write: how != SHUT_RD);
    }

    public override int Name(Span<byte> address, bool peer)
    {
        if (peer && _connection == null) return -ENOTCONN;
        TcpEndpoint e = peer ? _connection!.Remote : Handle?.Local ?? _local;
        Span<byte> full = stackalloc byte[InetAddressSize];
        UdpSocket.WriteAddress(full, e.Address, e.Port);
        full[..Math.Min(full.Length, address.Length)].CopyTo(address);
        return InetAddressSize;
    }

    public override int TakeError() => Handle?.TakeError() ?? 0;

    public override short Poll()
    {
        if (Handle is not { } socket) return FileAbi.POLLOUT | FileAbi.POLLHUP;
        var ready = socket.Readiness;
        int state = 0;
        if ((ready & (TcpReadiness.Readable | TcpReadiness.ReadHangUp)) != 0) state |= FileAbi.POLLIN;
        if ((ready & TcpReadiness.ReadHangUp) != 0) state |= POLLRDHUP;
        if ((ready & TcpReadiness.Writable) != 0) state |= FileAbi.POLLOUT;
        if ((ready & TcpReadiness.Error) != 0) state |= FileAbi.POLLERR;
        if ((ready & TcpReadiness.HangUp) != 0) state |= FileAbi.POLLHUP;
        return (short)state;
    }

    public override int SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        if (level == SOL_TCP)
        {
            if (name != TCP_NODELAY) return -ENOPROTOOPT;
            if (value.Length < 4) return -Errno.EINVAL;
            return Set(TcpOption.NoDelay, BinaryPrimitives.ReadInt32LittleEndian(value) != 0 ? 1 : 0);
        }
        int r = base.SetOption(level, name, value);
        if (r < 0) return r;
        return name switch
        {
            SO_REUSEADDR => Set(TcpOption.ReuseAddress, ReuseAddress ? 1 : 0),
            SO_RCVBUF => Set(TcpOption.ReceiveBuffer, BinaryPrimitives.ReadInt32LittleEndian(value)),
            SO_SNDBUF => Set(TcpOption.SendBuffer, BinaryPrimitives.ReadInt32LittleEndian(value)),
            _ => 0,
        };
    }

    public override int GetOption(int level, int name, Span<byte> value)
    {
        if (level != SOL_TCP) return base.GetOption(level, name, value);
        if (name != TCP_NODELAY) return -ENOPROTOOPT;
        BinaryPrimitives.WriteInt32LittleEndian(value, _options[(int)TcpOption.NoDelay] is 1 ? 1 : 0);
        return 4;
    }

    protected override int SetKeepAlive(bool on) => Set(TcpOption.KeepAlive, on ? 1 : 0);

    protected override int SetLinger(int seconds)
    {
        base.SetLinger(seconds);
        return Set(TcpOption.Linger, seconds);
    }

    // Records an option and applies it to the stack's socket if there is one.
    private int Set(TcpOption option, int value)
    {
        _options[(int)option] = value;
        return Handle?.SetOption(option, value) ?? 0;
    }

    protected override void Close()
    {
        Handle?.Close();
        _listener = null;
        _connection = null;
    }
}
