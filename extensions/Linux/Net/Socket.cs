using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;
using static Spindle.Extensions.Linux.Net.SocketAbi;

namespace Spindle.Extensions.Linux.Net;

/// <summary>
/// A socket as a file description: the calls of the socket family as virtual operations, each answering a
/// count, a length or a negated errno (-EAGAIN when it would block: the caller waits on
/// <see cref="FileDescription.WaitQueue"/> or answers EAGAIN, as for pipes). read and write are receive and
/// send without flags or address. The SOL_SOCKET options every family shares live here; a family adds its own
/// by overriding <see cref="SetOption"/> and <see cref="GetOption"/>. Addresses are parsed by the system-call layer
/// (<see cref="Endpoint"/>) and written back as struct sockaddr bytes. Used on the CPU's thread only.
/// </summary>
internal abstract class Socket(int type, int flags) : FileDescription(O_RDWR | (flags & SOCK_NONBLOCK))
{
    private int _sendBuffer = DefaultBuffer, _receiveBuffer = DefaultBuffer;
    private bool _reuseAddress, _keepAlive, _broadcast, _passCredentials;

    /// <summary>SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET.</summary>
    public int Type { get; } = type;

    /// <summary>AF_UNIX or AF_INET.</summary>
    public abstract int Family { get; }

    /// <summary>The protocol SO_PROTOCOL reports.</summary>
    public virtual int Protocol => 0;

    /// <summary>True while the socket listens (SO_ACCEPTCONN).</summary>
    public virtual bool Listening => false;

    /// <summary>SO_RCVTIMEO / SO_SNDTIMEO in nanoseconds; -1 for none (wait forever).</summary>
    public long ReceiveTimeout { get; private set; } = -1;
    public long SendTimeout { get; private set; } = -1;

    /// <summary>SO_REUSEADDR as set.</summary>
    protected bool ReuseAddress => _reuseAddress;

    public virtual int Bind(in Endpoint at) => -Errno.EOPNOTSUPP;
    public virtual int Listen(int backlog) => -Errno.EOPNOTSUPP;

    /// <summary>Takes a connection a listener holds; the new socket's status flags come from <paramref name="flags"/> (SOCK_NONBLOCK).</summary>
    public virtual int Accept(int flags, out Socket? accepted)
    {
        accepted = null;
        return -Errno.EOPNOTSUPP;
    }

    /// <summary>connect(2): 0, -EAGAIN to wait and call again, -EINPROGRESS for a stream that goes on connecting, or an error.</summary>
    public abstract int Connect(in Endpoint to);

    /// <summary>Sends <paramref name="data"/> to <paramref name="to"/> (null: the connected peer).</summary>
    public abstract long Send(ReadOnlySpan<byte> data, in Endpoint? to, int flags);

    /// <summary>
    /// Receives into <paramref name="buffer"/>: the count (for a datagram its full length, which may exceed the
    /// buffer: the caller reports MSG_TRUNC), 0 at the end of a stream. The sender's address goes to
    /// <paramref name="from"/> (cut to fit) and its full length to <paramref name="fromLength"/> (0 if none).
    /// </summary>
    public abstract long Receive(Span<byte> buffer, int flags, Span<byte> from, out int fromLength);

    public abstract int Shutdown(int how);

    /// <summary>Writes the local (or, with <paramref name="peer"/>, the remote) address; its full length, or -ENOTCONN.</summary>
    public abstract int Name(Span<byte> address, bool peer);

    /// <summary>The pending error as a negated errno (0 if none), cleared (SO_ERROR).</summary>
    public virtual int TakeError() => 0;

    /// <summary>Bytes the next read would return (FIONREAD).</summary>
    public virtual int Available => 0;

    public override long Read(Span<byte> buffer) => Receive(buffer, 0, default, out _) is var n && n >= 0 ? Math.Min(n, buffer.Length) : n;
    public override long Write(ReadOnlySpan<byte> buffer) => Send(buffer, null, 0);

    public override int Stat(out FileStatus status)
    {
        status = new FileStatus { Device = 0x8, Mode = Sdk.Vfs.FileType.Socket | 0x1ff, LinkCount = 1, BlockSize = 4096 };
        return 0;
    }

    /// <summary>setsockopt: 0 or a negated errno; the SOL_SOCKET options every family has.</summary>
    public virtual int SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        if (level != SOL_SOCKET) return -ENOPROTOOPT;
        if (name is SO_RCVTIMEO or SO_SNDTIMEO)
        {
            if (value.Length < 16) return -Errno.EINVAL;
            long sec = BinaryPrimitives.ReadInt64LittleEndian(value), usec = BinaryPrimitives.ReadInt64LittleEndian(value[8..]);
            if ((ulong)usec >= 1_000_000) return -EDOM;
            long ns = sec < 0 ? 0 : sec == 0 && usec == 0 ? -1 : Math.Min(sec, long.MaxValue / 2_000_000_000) * 1_000_000_000 + usec * 1000;
            if (name == SO_RCVTIMEO) ReceiveTimeout = ns; else SendTimeout = ns;
            return 0;
        }
        if (name == SO_LINGER) return value.Length < 8 ? -Errno.EINVAL : SetLinger(BinaryPrimitives.ReadInt32LittleEndian(value) != 0 ? BinaryPrimitives.ReadInt32LittleEndian(value[4..]) : -1);
        if (value.Length < 4) return -Errno.EINVAL;
        int v = BinaryPrimitives.ReadInt32LittleEndian(value);
        switch (name)
        {
            case SO_REUSEADDR: _reuseAddress = v != 0; return 0;
            case SO_KEEPALIVE: _keepAlive = v != 0; return SetKeepAlive(_keepAlive);
            case SO_BROADCAST: _broadcast = v != 0; return 0;
            case SO_PASSCRED: _passCredentials = v != 0; return 0;
            case SO_SNDBUF: _sendBuffer = Math.Max(4608, (int)Math.Min(2L * Math.Max(v, 0), int.MaxValue)); return 0;
            case SO_RCVBUF: _receiveBuffer = Math.Max(2304, (int)Math.Min(2L * Math.Max(v, 0), int.MaxValue)); return 0;
            default: return -ENOPROTOOPT;
        }
    }

    /// <summary>getsockopt: the value's length written into <paramref name="value"/> (at least 16 bytes), or a negated errno.</summary>
    public virtual int GetOption(int level, int name, Span<byte> value)
    {
        if (level != SOL_SOCKET) return -ENOPROTOOPT;
        switch (name)
        {
            case SO_RCVTIMEO or SO_SNDTIMEO:
                long ns = name == SO_RCVTIMEO ? ReceiveTimeout : SendTimeout;
                BinaryPrimitives.WriteInt64LittleEndian(value, ns < 0 ? 0 : ns / 1_000_000_000);
                BinaryPrimitives.WriteInt64LittleEndian(value[8..], ns < 0 ? 0 : ns % 1_000_000_000 / 1000);
                return 16;
            case SO_LINGER:
                int linger = Linger;
                BinaryPrimitives.WriteInt32LittleEndian(value, linger >= 0 ? 1 : 0);
                BinaryPrimitives.WriteInt32LittleEndian(value[4..], Math.Max(linger, 0));
                return 8;
        }
        int? v = name switch
        {
            SO_TYPE => Type,
            SO_ERROR => -TakeError(),
            SO_PROTOCOL => Protocol,
            SO_DOMAIN => Family,
            SO_ACCEPTCONN => Listening ? 1 : 0,
            SO_REUSEADDR => _reuseAddress ? 1 : 0,
            SO_KEEPALIVE => _keepAlive ? 1 : 0,
            SO_BROADCAST => _broadcast ? 1 : 0,
            SO_PASSCRED => _passCredentials ? 1 : 0,
            SO_SNDBUF => _sendBuffer,
            SO_RCVBUF => _receiveBuffer,
            _ => null,
        };
        if (v == null) return -ENOPROTOOPT;
        BinaryPrimitives.WriteInt32LittleEndian(value, v.Value);
        return 4;
    }

    /// <summary>SO_LINGER seconds, -1 off; a family that closes gracefully applies it.</summary>
    protected virtual int Linger => _linger;
    private int _linger = -1;

    /// <summary>Records SO_LINGER (a family that lingers overrides to apply it).</summary>
    protected virtual int SetLinger(int seconds)
    {
        _linger = seconds;
        return 0;
    }

    /// <summary>SO_KEEPALIVE for a family that sends probes.</summary>
    protected virtual int SetKeepAlive(bool on) => 0;
}
