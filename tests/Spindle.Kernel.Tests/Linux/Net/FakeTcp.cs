using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Tests.Linux.Net;

/// <summary>
/// An in-memory <see cref="ITcp"/> for the personality's stream sockets: connect stays in SynSent until
/// <see cref="Run"/>, which establishes it with a listener on the port (queued for accept) or fails it with
/// ECONNREFUSED; bytes sent go straight into the peer's receive queue. Raises ReadinessChanged on every change.
/// </summary>
internal sealed class FakeTcp : ITcp
{
    private const int EADDRINUSE = 98, ECONNREFUSED = 111;
    private readonly Dictionary<ushort, FakeListener> _listeners = [];
    private readonly List<FakeConnection> _connecting = [];
    private ushort _nextPort = 40000;
    private int _ids;

    public FakeTcp(IDispatcher dispatcher)
    {
        ReadinessChanged = dispatcher.Declare<TcpReadinessChange, bool>("Tcp.ReadinessChanged", _ => false, out _);
        PacketArrived = dispatcher.Declare<TcpPacket, bool>("Tcp.PacketArrived", _ => false, out _);
    }

    public Event<TcpReadinessChange, bool> ReadinessChanged { get; }

    /// <summary>Never raised: the fake carries no segments.</summary>
    public Event<TcpPacket, bool> PacketArrived { get; }

    public TcpCounts Counts => default;
    public List<(TcpOption Option, int Value)> OptionsSet { get; } = [];

    public int Listen(TcpEndpoint local, int backlog, out ITcpListener? listener)
    {
        listener = null;
        ushort port = local.Port == 0 ? _nextPort++ : local.Port;
        if (_listeners.ContainsKey(port)) return -EADDRINUSE;
        var l = new FakeListener(this, ++_ids, new TcpEndpoint(local.Address, port));
        _listeners[port] = l;
        listener = l;
        return 0;
    }

    public int Connect(TcpEndpoint remote, TcpEndpoint local, out ITcpConnection? connection)
    {
        var c = new FakeConnection(this, ++_ids, new TcpEndpoint(0x7f000001, local.Port == 0 ? _nextPort++ : local.Port), remote);
        _connecting.Add(c);
        connection = c;
        return 0;
    }

    /// <summary>Completes every connect in progress.</summary>
    public void Run()
    {
        foreach (var c in _connecting)
        {
            if (_listeners.TryGetValue(c.Remote.Port, out var l) && !l.Closed)
            {
                var server = new FakeConnection(this, ++_ids, c.Remote, c.Local) { Peer = c };
                server.SetState(TcpState.Established);
                c.Peer = server;
                c.SetState(TcpState.Established);
                l.Pending.Enqueue(server);
                Changed(l);
            }
            else
            {
                c.SetState(TcpState.Closed);
                c.Error = -ECONNREFUSED;
            }
            Changed(c);
        }
        _connecting.Clear();
    }

    public void Changed(ITcpSocket s) => ReadinessChanged.Raise(new TcpReadinessChange(s, s.Readiness));
    public void Forget(FakeListener l) => _listeners.Remove(l.Local.Port);

    internal abstract class FakeSocket(FakeTcp tcp, int id, TcpEndpoint local) : ITcpSocket
    {
        protected FakeTcp Tcp => tcp;
        public int Id => id;
        public TcpEndpoint Local => local;
        public virtual TcpEndpoint Remote => default;
        public abstract TcpState State { get; }
        public abstract TcpReadiness Readiness { get; }
        public int Error;
        public int TakeError() { int e = Error; Error = 0; return e; }
        public int SetOption(TcpOption option, int value) { tcp.OptionsSet.Add((option, value)); return 0; }
        public int GetOption(TcpOption option) => 0;
        public abstract void Close();
    }

    internal sealed class FakeListener(FakeTcp tcp, int id, TcpEndpoint local) : FakeSocket(tcp, id, local), ITcpListener
    {
        public readonly Queue<FakeConnection> Pending = new();
        public bool Closed;
        public override TcpState State => TcpState.Listen;
        public override TcpReadiness Readiness => Pending.Count > 0 ? TcpReadiness.Readable : TcpReadiness.None;

        public int Accept(out ITcpConnection? connection)
        {
            connection = Pending.Count > 0 ? Pending.Dequeue() : null;
            return connection == null ? -Errno.EAGAIN : 0;
        }

        public override void Close()
        {
            Closed = true;
            Tcp.Forget(this);
        }
    }

    internal sealed class FakeConnection(FakeTcp tcp, int id, TcpEndpoint local, TcpEndpoint remote) : FakeSocket(tcp, id, local), ITcpConnection
    {
        private readonly Queue<byte> _received = new();
        private TcpState _state = TcpState.SynSent;
        public FakeConnection? Peer;
        public bool FinReceived, WriteShut;
        public override TcpEndpoint Remote => remote;
        public override TcpState State => _state;
        public void SetState(TcpState state) => _state = state;

        public override TcpReadiness Readiness
        {
            get
            {
                var r = TcpReadiness.None;
                if (Error != 0) r |= TcpReadiness.Error;
                if (_state == TcpState.Established) r |= TcpReadiness.Writable;
                if (_received.Count > 0 || FinReceived) r |= TcpReadiness.Readable;
                if (FinReceived) r |= TcpReadiness.ReadHangUp;
                return r;
            }
        }

        public int Available => _received.Count;

        public int Send(ReadOnlySpan<byte> data)
        {
            if (_state == TcpState.SynSent) return -107;
            if (WriteShut) return -Errno.EPIPE;
            foreach (byte b in data) Peer!._received.Enqueue(b);
            Tcp.Changed(Peer!);
            return data.Length;
        }

        public int Receive(Span<byte> destination, bool peek = false)
        {
            if (_received.Count == 0) return FinReceived ? 0 : -Errno.EAGAIN;
            int n = Math.Min(destination.Length, _received.Count);
            var bytes = _received.ToArray();
            bytes.AsSpan(0, n).CopyTo(destination);
            if (!peek) for (int i = 0; i < n; i++) _received.Dequeue();
            return n;
        }

        public int Shutdown(bool read, bool write)
        {
            if (write && !WriteShut)
            {
                WriteShut = true;
                Peer!.FinReceived = true;
                Tcp.Changed(Peer);
            }
            return 0;
        }

        public void Abort() => Close();

        public override void Close()
        {
            if (Peer != null && !WriteShut) Shutdown(false, true);
            _state = TcpState.Closed;
        }
    }
}
