using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Net;

// The TCP service as its users see it: the Linux personality's stream sockets and the in-kernel
// applications (echo, sink, the web server) use one contract, exported by the Tcp extension.
//
// Contract. Every operation runs on the CPU's thread (from a system call, a continuation, or a packet
// handler). Nothing here blocks: an operation that cannot proceed answers -EAGAIN, and the caller waits
// for ReadinessChanged (raised whenever a socket's Readiness gains a bit) and tries again. Results are
// counts or negative errno values (Spindle.Sdk.Io.Errno), never exceptions for a peer's behaviour.
// Addresses and ports are in host byte order.

/// <summary>A TCP endpoint: an IPv4 address and a port, host byte order (address 0: any / the interface's).</summary>
public readonly record struct TcpEndpoint(uint Address, ushort Port);

/// <summary>What a socket can do now, as poll(2) would report it.</summary>
[Flags]
public enum TcpReadiness
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>Data, the end of the stream, or (on a listener) a connection to accept: Receive or Accept will not answer -EAGAIN.</summary>
    Readable = 1,
    /// <summary>Send will accept at least one byte.</summary>
    Writable = 2,
    /// <summary>An error is pending (see <see cref="ITcpSocket.TakeError"/>).</summary>
    Error = 4,
    /// <summary>Both directions are closed (reset, or both FINs exchanged).</summary>
    HangUp = 8,
    /// <summary>The peer sent FIN: reads drain what is left, then answer 0.</summary>
    ReadHangUp = 16,
}

/// <summary>TCP's states (RFC 793), as /proc/net/tcp and the tests name them.</summary>
public enum TcpState
{
    /// <summary>Not connected, or fully closed.</summary>
    Closed,
    /// <summary>A listener.</summary>
    Listen,
    /// <summary>SYN sent, waiting for SYN-ACK.</summary>
    SynSent,
    /// <summary>SYN received, SYN-ACK sent.</summary>
    SynReceived,
    /// <summary>Open both ways.</summary>
    Established,
    /// <summary>Closed by us, FIN not yet acknowledged.</summary>
    FinWait1,
    /// <summary>Our FIN acknowledged, waiting for the peer's.</summary>
    FinWait2,
    /// <summary>The peer closed; we may still send.</summary>
    CloseWait,
    /// <summary>Both closed at once.</summary>
    Closing,
    /// <summary>The peer closed, then we did; waiting for the last ACK.</summary>
    LastAck,
    /// <summary>Both closed; waiting 2 MSL before the pair may be used again.</summary>
    TimeWait,
}

/// <summary>A change of a socket's readiness, as <see cref="ITcp.ReadinessChanged"/> raises it.</summary>
public readonly record struct TcpReadinessChange(ITcpSocket Socket, TcpReadiness Readiness);

/// <summary>Per-socket options (setsockopt's SO_* and TCP_NODELAY).</summary>
public enum TcpOption
{
    /// <summary>TCP_NODELAY: 1 turns Nagle's algorithm off.</summary>
    NoDelay,
    /// <summary>SO_KEEPALIVE: 1 sends keepalive probes on an idle connection.</summary>
    KeepAlive,
    /// <summary>SO_RCVBUF in bytes (bounded by the stack).</summary>
    ReceiveBuffer,
    /// <summary>SO_SNDBUF in bytes (bounded by the stack).</summary>
    SendBuffer,
    /// <summary>SO_LINGER seconds; -1 off. 0 makes Close send a reset.</summary>
    Linger,
    /// <summary>SO_REUSEADDR: 1 lets Listen bind a port held only by connections in TIME_WAIT.</summary>
    ReuseAddress,
}

/// <summary>A TCP socket: a listener or a connection.</summary>
public interface ITcpSocket
{
    /// <summary>A number unique among this stack's live sockets (for guards and for /proc).</summary>
    int Id { get; }

    /// <summary>The local endpoint (the port chosen for an ephemeral bind).</summary>
    TcpEndpoint Local { get; }

    /// <summary>The remote endpoint (zero for a listener).</summary>
    TcpEndpoint Remote { get; }

    /// <summary>The connection's state.</summary>
    TcpState State { get; }

    /// <summary>What the socket can do now.</summary>
    TcpReadiness Readiness { get; }

    /// <summary>Returns the pending error as a negative errno (0 if none) and clears it (SO_ERROR).</summary>
    int TakeError();

    /// <summary>Sets an option; 0 or a negative errno (-EINVAL for a value out of range).</summary>
    int SetOption(TcpOption option, int value);

    /// <summary>An option's value.</summary>
    int GetOption(TcpOption option);

    /// <summary>
    /// Releases the socket: a connection closes gracefully (FIN after the queued data; a reset if data
    /// arrived that was never read, or with linger 0), a listener resets the connections not yet accepted.
    /// The stack keeps what it needs (FIN_WAIT, TIME_WAIT) on its own; the handle is dead afterwards.
    /// </summary>
    void Close();
}

/// <summary>A listening socket.</summary>
public interface ITcpListener : ITcpSocket
{
    /// <summary>Takes the oldest established connection; -EAGAIN if none.</summary>
    int Accept(out ITcpConnection? connection);
}

/// <summary>A connection.</summary>
public interface ITcpConnection : ITcpSocket
{
    /// <summary>Queues bytes for sending: how many were taken (at least 1), -EAGAIN if the send buffer is
    /// full, -EPIPE after a shutdown for writing, -ECONNRESET / -ETIMEDOUT once the connection failed,
    /// -ENOTCONN before it is established.</summary>
    int Send(ReadOnlySpan<byte> data);

    /// <summary>Copies received bytes out: how many; 0 at the end of the stream; -EAGAIN if none yet;
    /// -ECONNRESET / -ETIMEDOUT once the connection failed. With <paramref name="peek"/> the bytes stay.</summary>
    int Receive(Span<byte> destination, bool peek = false);

    /// <summary>Bytes received and not yet read (FIONREAD).</summary>
    int Available { get; }

    /// <summary>Shuts down reading, writing (sends FIN after the queued data) or both; 0 or -ENOTCONN.</summary>
    int Shutdown(bool read, bool write);

    /// <summary>Resets the connection at once (RST) and releases it.</summary>
    void Abort();
}

/// <summary>
/// TCP (RFC 793, 6298, 5681, 6582, 7323's window scale), SPIN's Plexus Tcp: listeners, connections, and the
/// readiness event their users wait on.
/// </summary>
public interface ITcp
{
    /// <summary>
    /// Opens a listener on <paramref name="local"/> (address 0: every address of this system) with at most
    /// <paramref name="backlog"/> connections waiting to be accepted (half-open ones included; more SYNs are
    /// dropped). 0, -EADDRINUSE, or -EINVAL.
    /// </summary>
    int Listen(TcpEndpoint local, int backlog, out ITcpListener? listener);

    /// <summary>
    /// Starts connecting to <paramref name="remote"/> from <paramref name="local"/> (port 0: an ephemeral
    /// port; address 0: the route's interface address). Answers 0 at once with the connection in SynSent;
    /// it becomes Writable when established, or Error (-ECONNREFUSED, -ETIMEDOUT, -EHOSTUNREACH) when not.
    /// -EADDRINUSE if the pair is taken, -ENETUNREACH without a route.
    /// </summary>
    int Connect(TcpEndpoint remote, TcpEndpoint local, out ITcpConnection? connection);

    /// <summary>Raised on the CPU's thread whenever a socket gains a readiness bit (data arrived, room to
    /// send, a connection to accept, an error, a FIN). Handlers wake whoever waits on that socket.</summary>
    Event<TcpReadinessChange, bool> ReadinessChanged { get; }

    /// <summary>
    /// Raised for every segment whose checksum is right, before the stack's own connections see it (install with
    /// a guard on <c>DestinationPort</c>, or on the address pair): a handler answering true takes the segment, and
    /// the stack does nothing more with it (a forwarder's hook). Unclaimed segments go to the connections.
    /// </summary>
    Event<TcpPacket, bool> PacketArrived { get; }

    /// <summary>The stack's counters (for /proc, the tests and the benches).</summary>
    TcpCounts Counts { get; }
}

/// <summary>
/// A received TCP segment handed up: its header fields, and the packet with its window at the TCP header (the
/// whole segment, so a handler may rewrite and forward it); valid during the raise.
/// </summary>
public readonly record struct TcpPacket(ushort SourcePort, ushort DestinationPort, uint Source, uint Destination,
    uint Sequence, uint Acknowledgment, byte Flags, Mbuf Packet);

/// <summary>TCP's counters: live connections (TIME_WAIT and half-open included) and listeners, segments in and
/// out, retransmitted segments, SYNs dropped by a full backlog, resets sent, segments dropped as malformed.</summary>
public readonly record struct TcpCounts(int Connections, int Listeners, long SegmentsReceived, long SegmentsSent,
    long Retransmitted, long SynsDropped, long ResetsSent, long Malformed);
