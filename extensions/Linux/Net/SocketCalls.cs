using System;
using System.Buffers.Binary;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Net;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;
using Spindle.Sdk.Trap;
using static Spindle.Extensions.Linux.Net.SocketAbi;

namespace Spindle.Extensions.Linux;

// The socket calls (a partial of LinuxPersonality kept in Net/): socket, socketpair, bind, listen, accept4,
// connect, getsockname, getpeername, sendto, recvfrom, sendmsg, recvmsg, setsockopt, getsockopt, shutdown.
// They parse and write struct sockaddr, move the data through the scratch buffer, and wait as reads do (the
// restart model: -EAGAIN from the socket blocks on its queue unless O_NONBLOCK or MSG_DONTWAIT; SO_RCVTIMEO
// and SO_SNDTIMEO bound the wait, the thread keeping the deadline across restarts as poll does).
// Limitations: one call moves at most the scratch buffer (64 KiB): a longer datagram answers EMSGSIZE, a longer
// stream send a short count; ancillary data (SCM_RIGHTS, credentials) is not supported: sendmsg with control
// data answers EOPNOTSUPP and recvmsg returns none; read and write on a socket ignore SO_RCVTIMEO/SO_SNDTIMEO.
public sealed partial class LinuxPersonality
{
    private UnixDomain? _unix;
    private UdpSockets? _udpSockets;
    private TcpSockets? _tcpSockets;
    private Func<IUdp?>? _udp;
    private Func<ITcp?>? _tcp;
    private Func<IMbufPool?>? _packets;
    private IDispatcher? _netDispatcher;

    /// <summary>
    /// Gives AF_INET sockets the network: <paramref name="udp"/>, <paramref name="tcp"/> and <paramref name="packets"/>
    /// are asked when a socket needs them (null: that part of the stack is not loaded; with none, socket(AF_INET)
    /// answers EAFNOSUPPORT); handlers are installed through <paramref name="dispatcher"/> (the personality's domain's).
    /// </summary>
    public void UseNetwork(IDispatcher dispatcher, Func<IUdp?> udp, Func<ITcp?> tcp, Func<IMbufPool?> packets)
    {
        _netDispatcher = dispatcher;
        _udp = udp;
        _tcp = tcp;
        _packets = packets;
    }

    private UnixDomain? Unix => _unix ??= NewQueue("unix") is { } q ? new UnixDomain(q, Pollers, NewQueue) : null;

    // The UDP side of the network, if the stack is loaded (asked again until it is).
    private UdpSockets? Udp
    {
        get
        {
            if (_udpSockets != null || _netDispatcher == null) return _udpSockets;
            if (_udp!() is not { } udp || _packets!() is not { } pool || NewQueue("udp") is not { } queue) return null;
            return _udpSockets = new UdpSockets(udp, pool, _netDispatcher, queue, Pollers);
        }
    }

    // The TCP side of the network, if the stack is loaded (asked again until it is).
    private TcpSockets? Tcp
    {
        get
        {
            if (_tcpSockets != null || _netDispatcher == null) return _tcpSockets;
            if (_tcp!() is not { } tcp || NewQueue("tcp") is not { } queue) return null;
            return _tcpSockets = new TcpSockets(tcp, _netDispatcher, queue, Pollers);
        }
    }

    private long SocketCall(LinuxProcess p, int domain, int type, int protocol)
    {
        int r = NewSocket(domain, type, protocol, out Socket? socket);
        return r < 0 ? r : p.Install(socket!, (type & SOCK_CLOEXEC) != 0);
    }

    // A new socket of the family, type (with SOCK_NONBLOCK / SOCK_CLOEXEC) and protocol, or the errno Linux gives.
    private int NewSocket(int domain, int type, int protocol, out Socket? socket)
    {
        socket = null;
        int kind = type & SOCK_TYPE_MASK, flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) return -Errno.EINVAL;
        switch (domain)
        {
            case AF_UNIX:
                if (protocol != 0 && protocol != AF_UNIX) return -EPROTONOSUPPORT;
                if (kind == SOCK_RAW) kind = SOCK_DGRAM;   // as Linux
                if (kind != SOCK_STREAM && kind != SOCK_DGRAM) return -ESOCKTNOSUPPORT;
                if (Unix is not { } unix) return -Errno.ENOSYS;
                socket = new UnixSocket(unix, kind, flags);
                return 0;
            case AF_INET:
                if (kind == SOCK_STREAM && protocol is 0 or IPPROTO_TCP && Tcp is { } tcp) socket = new TcpSocket(tcp, flags);
                else if (kind == SOCK_DGRAM && protocol is 0 or IPPROTO_UDP && Udp is { } udp) socket = new UdpSocket(udp, flags);
                else if (Tcp == null && Udp == null) return -EAFNOSUPPORT;
                else return kind is SOCK_STREAM or SOCK_DGRAM ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT;
                return 0;
            default:
                return -EAFNOSUPPORT;
        }
    }

    private long SocketPair(IUserStrand s, LinuxProcess p, int domain, int type, int protocol, ulong pairVa)
    {
        if (domain != AF_UNIX) return domain == AF_INET && (Udp != null || Tcp != null) ? -Errno.EOPNOTSUPP : -EAFNOSUPPORT;
        int r = NewSocket(domain, type, protocol, out Socket? a);
        if (r < 0) return r;
        NewSocket(domain, type, protocol, out Socket? b);
        if (!UnixSocket.Pair((UnixSocket)a!, (UnixSocket)b!)) { a!.Release(); b!.Release(); return -Errno.ENOSYS; }
        return InstallPair(s, p, a!, b!, (type & SOCK_CLOEXEC) != 0, pairVa);
    }

    // The socket behind fd: -EBADF or -ENOTSOCK otherwise.
    private static int SocketOf(LinuxProcess p, int fd, out Socket? socket)
    {
        FileDescription? f = p.Get(fd);
        socket = f as Socket;
        return f == null ? -Errno.EBADF : socket == null ? -ENOTSOCK : 0;
    }

    private long BindCall(IUserStrand s, LinuxProcess p, int fd, ulong addrVa, int length)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        r = ReadEndpoint(s, p, socket!, addrVa, length, out Endpoint at);
        return r < 0 ? r : socket!.Bind(at);
    }

    private static long ListenCall(LinuxProcess p, int fd, int backlog)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        return socket!.Listen((uint)backlog > 4096 ? 4096 : backlog);   // somaxconn, as Linux caps it
    }

    private long AcceptCall(IUserStrand s, LinuxProcess p, int fd, ulong addrVa, ulong lengthVa, int flags)
    {
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) return -Errno.EINVAL;
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        r = socket!.Accept(flags, out Socket? accepted);
        if (r == -Errno.EAGAIN) return SocketWait(s, socket, 0, socket.ReceiveTimeout);
        if (r < 0) return EndPoll(s, r);
        int newFd = p.Install(accepted!, (flags & SOCK_CLOEXEC) != 0);
        if (newFd < 0) { accepted!.Release(); return EndPoll(s, newFd); }
        if (addrVa != 0 && WriteName(s, accepted!, peer: true, addrVa, lengthVa) is var w && w < 0)
        {
            p.Files.Close(newFd);
            return EndPoll(s, w);
        }
        return EndPoll(s, newFd);
    }

    private long ConnectCall(IUserStrand s, LinuxProcess p, int fd, ulong addrVa, int length)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        r = ReadEndpoint(s, p, socket!, addrVa, length, out Endpoint to);
        if (r < 0) return r;
        r = socket!.Connect(to);
        return r == -Errno.EAGAIN ? SocketWait(s, socket, 0, socket.SendTimeout) : EndPoll(s, r);
    }

    private long NameCall(IUserStrand s, LinuxProcess p, int fd, ulong addrVa, ulong lengthVa, bool peer)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        return r < 0 ? r : WriteName(s, socket!, peer, addrVa, lengthVa);
    }

    // sendto(fd, buf, len, flags, addr, addrlen) and send (addr 0).
    private long SendToCall(IUserStrand s, LinuxProcess p, int fd, ulong buf, ulong length, int flags, ulong addrVa, int addrLength)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        if (length > (ulong)_scratch.Length)
        {
            if (socket!.Type == SOCK_DGRAM) return -EMSGSIZE;
            length = (ulong)_scratch.Length;
        }
        Span<byte> data = _scratch.AsSpan(0, (int)length);
        if (!s.Memory.CopyIn(buf, data)) return -Errno.EFAULT;
        return SendData(s, p, socket!, data, flags, addrVa, addrLength);
    }

    // The send shared by sendto and sendmsg: data is already in the scratch buffer.
    private long SendData(IUserStrand s, LinuxProcess p, Socket socket, ReadOnlySpan<byte> data, int flags, ulong addrVa, int addrLength)
    {
        Endpoint? to = null;
        if (addrVa != 0)
        {
            int r = ReadEndpoint(s, p, socket, addrVa, addrLength, out Endpoint at);
            if (r < 0) return r;
            to = at;
        }
        long n = socket.Send(data, to, flags);
        if (n == -Errno.EAGAIN) return SocketWait(s, socket, flags, socket.SendTimeout);
        if (n == -Errno.EPIPE && (flags & MSG_NOSIGNAL) == 0) RaiseSignal(s, LinuxAbi.SIGPIPE);
        return EndPoll(s, n);
    }

    // recvfrom(fd, buf, len, flags, addr, addrlen) and recv (addr 0).
    private long RecvFromCall(IUserStrand s, LinuxProcess p, int fd, ulong buf, ulong length, int flags, ulong addrVa, ulong lengthVa)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        Span<byte> data = _scratch.AsSpan(0, (int)Math.Min(length, (ulong)_scratch.Length));
        if (!s.Memory.IsWritable(buf, (ulong)data.Length)) return -Errno.EFAULT;
        Span<byte> from = stackalloc byte[UnixAddressMax];
        long n = socket!.Receive(data, flags, from, out int fromLength);
        if (n == -Errno.EAGAIN) return SocketWait(s, socket, flags, socket.ReceiveTimeout);
        if (n < 0) return EndPoll(s, n);
        int copied = (int)Math.Min(n, data.Length);
        if (!s.Memory.CopyOut(buf, data[..copied])) return EndPoll(s, -Errno.EFAULT);
        if (addrVa != 0 && CopyOutName(s, from[..Math.Min(fromLength, from.Length)], fromLength, addrVa, lengthVa) is var w && w < 0) return EndPoll(s, w);
        return EndPoll(s, (flags & MSG_TRUNC) != 0 && socket.Type == SOCK_DGRAM ? n : copied);
    }

    // struct msghdr on riscv64: name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48.
    private long SendMsgCall(IUserStrand s, LinuxProcess p, int fd, ulong msgVa, int flags)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        Span<byte> msg = stackalloc byte[56];
        if (!s.Memory.CopyIn(msgVa, msg)) return -Errno.EFAULT;
        if (BinaryPrimitives.ReadUInt64LittleEndian(msg[40..]) != 0) return -Errno.EOPNOTSUPP;
        long gathered = Gather(s, BinaryPrimitives.ReadUInt64LittleEndian(msg[16..]), BinaryPrimitives.ReadUInt64LittleEndian(msg[24..]), socket!.Type == SOCK_DGRAM);
        if (gathered < 0) return gathered;
        return SendData(s, p, socket!, _scratch.AsSpan(0, (int)gathered), flags,
            BinaryPrimitives.ReadUInt64LittleEndian(msg), BinaryPrimitives.ReadInt32LittleEndian(msg[8..]));
    }

    private long RecvMsgCall(IUserStrand s, LinuxProcess p, int fd, ulong msgVa, int flags)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        Span<byte> msg = stackalloc byte[56];
        if (!s.Memory.CopyIn(msgVa, msg)) return -Errno.EFAULT;
        ulong iov = BinaryPrimitives.ReadUInt64LittleEndian(msg[16..]), count = BinaryPrimitives.ReadUInt64LittleEndian(msg[24..]);
        long room = IovecTotal(s, iov, count);
        if (room < 0) return room;
        Span<byte> data = _scratch.AsSpan(0, (int)Math.Min(room, _scratch.Length));
        Span<byte> from = stackalloc byte[UnixAddressMax];
        long n = socket!.Receive(data, flags, from, out int fromLength);
        if (n == -Errno.EAGAIN) return SocketWait(s, socket, flags, socket.ReceiveTimeout);
        if (n < 0) return EndPoll(s, n);
        int copied = (int)Math.Min(n, data.Length);
        if (!Scatter(s, iov, count, data[..copied])) return EndPoll(s, -Errno.EFAULT);
        ulong nameVa = BinaryPrimitives.ReadUInt64LittleEndian(msg);
        int nameRoom = BinaryPrimitives.ReadInt32LittleEndian(msg[8..]);
        if (nameVa != 0 && !s.Memory.CopyOut(nameVa, from[..Math.Min(Math.Min(fromLength, from.Length), Math.Max(nameRoom, 0))])) return EndPoll(s, -Errno.EFAULT);
        BinaryPrimitives.WriteInt32LittleEndian(msg[8..], nameVa != 0 ? fromLength : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(msg[40..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(msg[48..], n > copied ? MSG_TRUNC : 0);
        if (!s.Memory.CopyOut(msgVa, msg)) return EndPoll(s, -Errno.EFAULT);
        return EndPoll(s, (flags & MSG_TRUNC) != 0 && socket.Type == SOCK_DGRAM ? n : copied);
    }

    // The bytes an iovec array describes, or -EINVAL / -EFAULT.
    private static long IovecTotal(IUserStrand s, ulong iov, ulong count)
    {
        if (count > LinuxAbi.IovMax) return -EMSGSIZE;
        Span<byte> entry = stackalloc byte[16];
        long total = 0;
        for (ulong i = 0; i < count; i++)
        {
            if (!s.Memory.CopyIn(iov + 16 * i, entry)) return -Errno.EFAULT;
            long len = BinaryPrimitives.ReadInt64LittleEndian(entry[8..]);
            if (len < 0 || (total += len) > LinuxAbi.MaxIoCount) return -Errno.EINVAL;
        }
        return total;
    }

    // Copies the iovecs' bytes into the scratch buffer; their length, -EMSGSIZE for a datagram that does not
    // fit (a stream takes what fits), -EFAULT, -EINVAL.
    private long Gather(IUserStrand s, ulong iov, ulong count, bool datagram)
    {
        long total = IovecTotal(s, iov, count);
        if (total < 0) return total;
        if (total > _scratch.Length && datagram) return -EMSGSIZE;
        Span<byte> entry = stackalloc byte[16];
        int at = 0;
        for (ulong i = 0; i < count && at < _scratch.Length; i++)
        {
            if (!s.Memory.CopyIn(iov + 16 * i, entry)) return -Errno.EFAULT;
            int len = (int)Math.Min(BinaryPrimitives.ReadInt64LittleEndian(entry[8..]), _scratch.Length - at);
            if (!s.Memory.CopyIn(BinaryPrimitives.ReadUInt64LittleEndian(entry), _scratch.AsSpan(at, len))) return -Errno.EFAULT;
            at += len;
        }
        return at;
    }

    // Copies data out over the iovecs in turn.
    private static bool Scatter(IUserStrand s, ulong iov, ulong count, ReadOnlySpan<byte> data)
    {
        Span<byte> entry = stackalloc byte[16];
        for (ulong i = 0; i < count && data.Length > 0; i++)
        {
            if (!s.Memory.CopyIn(iov + 16 * i, entry)) return false;
            int len = (int)Math.Min(BinaryPrimitives.ReadInt64LittleEndian(entry[8..]), data.Length);
            if (!s.Memory.CopyOut(BinaryPrimitives.ReadUInt64LittleEndian(entry), data[..len])) return false;
            data = data[len..];
        }
        return true;
    }

    private static long ShutdownCall(LinuxProcess p, int fd, int how)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        return r < 0 ? r : socket!.Shutdown(how);
    }

    private static long SetOptionCall(IUserStrand s, LinuxProcess p, int fd, int level, int name, ulong valueVa, int length)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        if (length < 0) return -Errno.EINVAL;
        Span<byte> value = stackalloc byte[Math.Min(length, 16)];
        if (!s.Memory.CopyIn(valueVa, value)) return -Errno.EFAULT;
        return socket!.SetOption(level, name, value);
    }

    private static long GetOptionCall(IUserStrand s, LinuxProcess p, int fd, int level, int name, ulong valueVa, ulong lengthVa)
    {
        int r = SocketOf(p, fd, out Socket? socket);
        if (r < 0) return r;
        Span<byte> len = stackalloc byte[4];
        if (!s.Memory.CopyIn(lengthVa, len)) return -Errno.EFAULT;
        int room = BinaryPrimitives.ReadInt32LittleEndian(len);
        if (room < 0) return -Errno.EINVAL;
        Span<byte> value = stackalloc byte[16];
        int n = socket!.GetOption(level, name, value);
        if (n < 0) return n;
        n = Math.Min(n, room);
        BinaryPrimitives.WriteInt32LittleEndian(len, n);
        return s.Memory.CopyOut(valueVa, value[..n]) && s.Memory.CopyOut(lengthVa, len) ? 0 : -Errno.EFAULT;
    }

    // A socket call that would block: -EAGAIN if the socket or the call does not wait, else the strand blocks on
    // the socket's queue (until timeoutNs, if >= 0; the call then answers -EAGAIN, as Linux at SO_RCVTIMEO).
    private long SocketWait(IUserStrand s, Socket socket, int flags, long timeoutNs)
    {
        if (socket.NonBlocking || (flags & MSG_DONTWAIT) != 0 || socket.WaitQueue is not { } queue) return EndPoll(s, -Errno.EAGAIN);
        return WaitUntilDeadline(s, queue, timeoutNs, -Errno.EAGAIN);
    }

    // Reads the struct sockaddr at va for socket's family: the endpoint, or -EINVAL / -EFAULT / -EAFNOSUPPORT.
    private int ReadEndpoint(IUserStrand s, LinuxProcess p, Socket socket, ulong va, int length, out Endpoint at)
    {
        at = default;
        if (length < 0 || length > 128) return -Errno.EINVAL;
        Span<byte> raw = stackalloc byte[length];
        if (!s.Memory.CopyIn(va, raw)) return -Errno.EFAULT;
        if (length < 2) return -Errno.EINVAL;
        int family = BinaryPrimitives.ReadUInt16LittleEndian(raw);
        if (family == AF_UNSPEC)
        {
            at = new Endpoint(AF_UNSPEC);
            return 0;
        }
        if (socket.Family == AF_INET)
        {
            if (length < InetAddressSize) return -Errno.EINVAL;
            if (family != AF_INET) return -EAFNOSUPPORT;
            at = new Endpoint(AF_INET, Address: BinaryPrimitives.ReadUInt32BigEndian(raw[4..]), Port: BinaryPrimitives.ReadUInt16BigEndian(raw[2..]));
            return 0;
        }
        if (family != AF_UNIX || length > UnixAddressMax) return -Errno.EINVAL;
        ReadOnlySpan<byte> path = raw[2..];
        if (path.Length == 0) { at = new Endpoint(AF_UNIX, UnixName: []); return 0; }
        if (path[0] == 0)
        {
            at = new Endpoint(AF_UNIX, "@" + Encoding.Latin1.GetString(path[1..]), path.ToArray());
            return 0;
        }
        int end = path.IndexOf((byte)0);
        if (end >= 0) path = path[..end];
        int r = UnixPathKey(Cwd(p), path, out string? key);
        if (r < 0) return r;
        bool exists = Vfs.Stat(Cwd(p), path, followFinal: false, out _) == 0;
        byte[] name = new byte[path.Length + 1];
        path.CopyTo(name);
        at = new Endpoint(AF_UNIX, key, name, exists);
        return 0;
    }

    // The name-table key of a socket path: its directory's path and its last name.
    private int UnixPathKey(Location start, ReadOnlySpan<byte> path, out string? key)
    {
        key = null;
        int r = Vfs.ResolveParent(start, path, out Location? parent, out byte[] name, out _);
        if (r < 0) return r;
        key = Encoding.Latin1.GetString(parent!.Path()) + "/" + Encoding.Latin1.GetString(name);
        return 0;
    }

    // unlink of a path the file system does not have: a socket name of the personality's, if one (0), else r.
    private int UnlinkSocketName(Location start, ReadOnlySpan<byte> path, int r)
    {
        if (r != -Errno.ENOENT || _unix == null || UnixPathKey(start, path, out string? key) < 0) return r;
        return _unix.Unlinked(key!) ? 0 : r;
    }

    // ioctl FIONREAD: bytes a read would return now, for sockets and pipes; -1 for other files (their ioctl decides).
    private const uint FIONREAD = 0x541b;

    private static int QueuedBytes(FileDescription f) => f switch
    {
        Socket socket => socket.Available,
        PipeEnd end => end.Pipe.Buffered,
        _ => -1,
    };

    private static long CopyOutInt(IUserStrand s, ulong va, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return s.Memory.CopyOut(va, bytes) ? 0 : -Errno.EFAULT;
    }

    // getsockname / getpeername / accept's address: writes the address (cut to *lengthVa) and its full length.
    private static int WriteName(IUserStrand s, Socket socket, bool peer, ulong addrVa, ulong lengthVa)
    {
        Span<byte> name = stackalloc byte[UnixAddressMax];
        int full = socket.Name(name, peer);
        return full < 0 ? full : CopyOutName(s, name[..Math.Min(full, name.Length)], full, addrVa, lengthVa);
    }

    private static int CopyOutName(IUserStrand s, ReadOnlySpan<byte> name, int full, ulong addrVa, ulong lengthVa)
    {
        Span<byte> len = stackalloc byte[4];
        if (!s.Memory.CopyIn(lengthVa, len)) return -Errno.EFAULT;
        int room = BinaryPrimitives.ReadInt32LittleEndian(len);
        if (room < 0) return -Errno.EINVAL;
        BinaryPrimitives.WriteInt32LittleEndian(len, full);
        return s.Memory.CopyOut(addrVa, name[..Math.Min(name.Length, room)]) && s.Memory.CopyOut(lengthVa, len) ? 0 : -Errno.EFAULT;
    }
}
