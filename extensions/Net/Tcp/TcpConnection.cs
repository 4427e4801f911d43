using System;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// One TCP connection (RFC 793's TCB): its state, sequence numbers, rings, congestion state and timers, and the
/// socket operations its user calls. The arrival of segments is in TcpConnection.Input.cs, sending, timers and
/// congestion control in TcpConnection.Output.cs. Contract: everything runs on the CPU's thread, called by
/// <see cref="Tcp"/> (segments, the alarm) or by the user (the ITcpConnection methods); nothing blocks; a
/// readiness bit gained is announced by <see cref="Notify"/> at the end of every entry from the stack.
/// Half-open connections (SynReceived, from a listener) hold no rings: a SYN costs one small object.
/// </summary>
internal sealed partial class TcpConnection : ITcpConnection
{
    private readonly Tcp _tcp;
    private TcpRing? _send, _recv;
    private int _sendCapacity = Tcp.DefaultBufferBytes, _recvCapacity = Tcp.DefaultBufferBytes;
    private int _error;
    private bool _released, _readShut, _writeShut, _finReceived, _finAcked;
    private bool _noDelay, _keepAlive, _reuse;
    private int _linger = -1;
    private TcpReadiness _announced;

    /// <summary>An active open (<see cref="ITcp.Connect"/>): SYN sent when <see cref="Tcp"/> calls <see cref="Start"/>.</summary>
    public TcpConnection(Tcp tcp, int id, TcpEndpoint local, TcpEndpoint remote)
    {
        _tcp = tcp;
        Id = id;
        Local = local;
        Remote = remote;
        State = TcpState.SynSent;
        _send = new TcpRing(_sendCapacity);
        _recv = new TcpRing(_recvCapacity);
        InitSend(tcp.NewIss());
    }

    /// <summary>A passive open: the SYN <paramref name="syn"/> reached <paramref name="listener"/>; a SYN-ACK goes out at <see cref="Start"/>.</summary>
    public TcpConnection(Tcp tcp, int id, TcpEndpoint local, TcpEndpoint remote, TcpListener listener, in TcpSegment syn)
    {
        _tcp = tcp;
        Id = id;
        Local = local;
        Remote = remote;
        Listener = listener;
        State = TcpState.SynReceived;
        InitSend(tcp.NewIss());
        TakeSyn(syn);
    }

    public int Id { get; }
    public TcpEndpoint Local { get; }
    public TcpEndpoint Remote { get; }
    public TcpState State { get; private set; }

    /// <summary>The listener this passive connection waits on until accepted (null afterwards, and for active ones).</summary>
    public TcpListener? Listener { get; set; }

    /// <summary>The key of the connection in the stack's table.</summary>
    public ulong Key => Tcp.KeyOf(Local.Port, Remote.Address, Remote.Port);

    public int Available => _recv?.Count ?? 0;

    public TcpReadiness Readiness
    {
        get
        {
            var r = TcpReadiness.None;
            bool dead = State == TcpState.Closed || State == TcpState.TimeWait;
            if (Available > 0 || _finReceived || _readShut || _error != 0 || (dead && State != TcpState.SynSent)) r |= TcpReadiness.Readable;
            if (_error != 0 || ((State == TcpState.Established || State == TcpState.CloseWait) && !_writeShut && _send!.Free > 0)) r |= TcpReadiness.Writable;
            if (_error != 0) r |= TcpReadiness.Error;
            if (dead || (_finReceived && _finAcked)) r |= TcpReadiness.HangUp;
            if (_finReceived) r |= TcpReadiness.ReadHangUp;
            return r;
        }
    }

    /// <summary>
    /// Raises the stack's ReadinessChanged if the connection gained a bit since the last announcement. What the
    /// handlers did about it (read everything, filled the send ring) is what counts as announced afterwards.
    /// </summary>
    public void Notify()
    {
        var now = Readiness;
        if ((now & ~_announced) != 0 && !_released) _tcp.Announce(this, now);
        _announced = Readiness;
    }

    // After the user's call: bits it took away (read everything, filled the ring) count as not announced, so
    // regaining them is announced again.
    private int Settle(int result)
    {
        _announced &= Readiness;
        return result;
    }

    public int TakeError()
    {
        int e = _error;
        _error = 0;
        return e;
    }

    public int SetOption(TcpOption option, int value)
    {
        switch (option)
        {
            case TcpOption.NoDelay: _noDelay = value != 0; if (_noDelay) Output(); return 0;
            case TcpOption.KeepAlive: _keepAlive = value != 0; ArmKeepalive(); return 0;
            case TcpOption.ReuseAddress: _reuse = value != 0; return 0;
            case TcpOption.Linger: if (value < -1) return -Tcp.EINVAL; _linger = value; return 0;
            case TcpOption.ReceiveBuffer:
            case TcpOption.SendBuffer:
                if (value < Tcp.MinBufferBytes || value > Tcp.MaxBufferBytes) return -Tcp.EINVAL;
                bool receive = option == TcpOption.ReceiveBuffer;
                var ring = receive ? _recv : _send;
                // A ring with bytes in it (or, for receiving, out-of-order bytes ahead of them) keeps its size.
                if (ring != null && (ring.Count != 0 || (receive && _gaps != 0) || !ring.TryResize(value))) return 0;
                if (receive) _recvCapacity = value; else _sendCapacity = value;
                return 0;
            default: return -Tcp.EINVAL;
        }
    }

    public int GetOption(TcpOption option) => option switch
    {
        TcpOption.NoDelay => _noDelay ? 1 : 0,
        TcpOption.KeepAlive => _keepAlive ? 1 : 0,
        TcpOption.ReuseAddress => _reuse ? 1 : 0,
        TcpOption.Linger => _linger,
        TcpOption.ReceiveBuffer => _recvCapacity,
        TcpOption.SendBuffer => _sendCapacity,
        _ => -Tcp.EINVAL,
    };

    public int Send(ReadOnlySpan<byte> data)
    {
        if (_error != 0) return _error;
        if (State == TcpState.SynSent || State == TcpState.SynReceived) return -Tcp.ENOTCONN;
        if (_writeShut || !(State == TcpState.Established || State == TcpState.CloseWait)) return -Tcp.EPIPE;
        if (data.IsEmpty) return 0;
        int n = _send!.Append(data);
        if (n == 0) return Settle(-Tcp.EAGAIN);
        Output();
        return Settle(n);
    }

    public int Receive(Span<byte> destination, bool peek = false)
    {
        int available = Available;
        if (available == 0)
        {
            if (_error != 0) return _error;
            if (_finReceived || _readShut || State == TcpState.Closed) return 0;
            return Settle(-Tcp.EAGAIN);
        }
        int n = Math.Min(available, destination.Length);
        _recv!.CopyOut(0, destination[..n]);
        if (!peek)
        {
            _recv.Discard(n);
            WindowOpened();
        }
        return Settle(n);
    }

    public int Shutdown(bool read, bool write)
    {
        if (State == TcpState.SynSent || State == TcpState.SynReceived || (State == TcpState.Closed && _error == 0 && !_finReceived)) return -Tcp.ENOTCONN;
        if (read) _readShut = true;
        if (write && !_writeShut && (State == TcpState.Established || State == TcpState.CloseWait))
        {
            _writeShut = true;
            _finSeq = _sndUna + (uint)_send!.Count;
            State = State == TcpState.Established ? TcpState.FinWait1 : TcpState.LastAck;
            Output();
        }
        Notify();
        return 0;
    }

    public void Close()
    {
        if (_released) return;
        _released = true;
        if (State == TcpState.Closed || State == TcpState.TimeWait) return;
        if (State == TcpState.SynSent) { Destroy(0); return; }
        if (_linger == 0 || Available > 0) { Abort(); return; }
        Shutdown(read: true, write: true);
        if (State == TcpState.FinWait2) Arm(ref _closeAt, _tcp.Now + Tcp.OrphanFinWaitNs);
    }

    public void Abort()
    {
        _released = true;
        if (State is TcpState.Closed or TcpState.TimeWait) return;
        if (State != TcpState.SynSent) SendSegment(_sndMax, 0, TcpFlags.Rst | TcpFlags.Ack);
        Destroy(-Tcp.ECONNRESET);
    }

    /// <summary>Sends the first segment: the SYN of an active open, the SYN-ACK of a passive one.</summary>
    public void Start() => SendSyn();

    /// <summary>
    /// Ends the connection: it leaves the stack's table (a half-open one frees its place in the backlog), its
    /// timers stop, and <paramref name="error"/> (a negative errno, or 0) is what its user reads next.
    /// </summary>
    private void Destroy(int error)
    {
        if (State == TcpState.Closed) return;
        if (error != 0) _error = error;
        State = TcpState.Closed;
        _rtoAt = _ackAt = _keepAt = _closeAt = _retryAt = -1;
        Listener?.Gone(this);
        Listener = null;
        _tcp.Remove(this);
        Notify();
    }
}
