using System.Collections.Generic;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// A listening socket with a bounded backlog: half-open connections (SYN received, SYN-ACK sent) and
/// established ones not yet accepted together never exceed <see cref="Backlog"/>; a SYN past it is dropped
/// (the peer retries), so a flood of SYNs costs at most Backlog small objects. Contract: CPU's thread; the
/// stack calls <see cref="TrySyn"/>, and its connections call <see cref="Accepted"/> and <see cref="Gone"/>.
/// </summary>
internal sealed class TcpListener(Tcp tcp, int id, TcpEndpoint local, int backlog) : ITcpListener
{
    private readonly Queue<TcpConnection> _ready = new();
    private readonly HashSet<TcpConnection> _halfOpen = new();
    private TcpReadiness _announced;
    private bool _closed;

    public int Id { get; } = id;
    public TcpEndpoint Local { get; } = local;
    public TcpEndpoint Remote => default;
    public TcpState State => _closed ? TcpState.Closed : TcpState.Listen;
    public int Backlog { get; } = backlog;
    public TcpReadiness Readiness => _ready.Count > 0 ? TcpReadiness.Readable : TcpReadiness.None;

    /// <summary>Takes a SYN from <paramref name="remote"/>: a half-open connection if the backlog has room (false otherwise).</summary>
    public bool TrySyn(in TcpSegment syn, TcpEndpoint remote, out TcpConnection? connection)
    {
        connection = null;
        if (_closed || _halfOpen.Count + _ready.Count >= Backlog) return false;
        connection = new TcpConnection(tcp, tcp.NextId(), new TcpEndpoint(tcp.Address, Local.Port), remote, this, syn);
        _halfOpen.Add(connection);
        return true;
    }

    /// <summary>A half-open connection of this listener became established: it waits to be accepted.</summary>
    public void Accepted(TcpConnection connection)
    {
        _halfOpen.Remove(connection);
        _ready.Enqueue(connection);
        Notify();
    }

    /// <summary>A connection of this listener ended before it was accepted.</summary>
    public void Gone(TcpConnection connection)
    {
        if (_halfOpen.Remove(connection)) return;
        int n = _ready.Count;
        for (int i = 0; i < n; i++)                   // rare (a reset before accept): keep the others in order
        {
            var c = _ready.Dequeue();
            if (!ReferenceEquals(c, connection)) _ready.Enqueue(c);
        }
    }

    public int Accept(out ITcpConnection? connection)
    {
        connection = null;
        if (_ready.Count == 0) return _closed ? -Tcp.EINVAL : -Tcp.EAGAIN;
        var c = _ready.Dequeue();
        c.Listener = null;
        connection = c;
        _announced = Readiness;
        return 0;
    }

    public int TakeError() => 0;
    public int SetOption(TcpOption option, int value) => option is TcpOption.ReuseAddress ? 0 : -Tcp.EINVAL;
    public int GetOption(TcpOption option) => option is TcpOption.ReuseAddress ? 1 : -Tcp.EINVAL;

    /// <summary>Stops listening: the connections not yet accepted, and the half-open ones, are reset.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        tcp.RemoveListener(this);
        while (_ready.Count > 0) _ready.Dequeue().Abort();
        foreach (var c in new List<TcpConnection>(_halfOpen)) c.Abort();
    }

    private void Notify()
    {
        var now = Readiness;
        var gained = now & ~_announced;
        _announced = now;
        if (gained != 0) tcp.Announce(this, now);
    }
}
