using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using static Spindle.Extensions.Linux.Net.SocketAbi;

namespace Spindle.Extensions.Linux.Net;

/// <summary>
/// An AF_UNIX socket, SOCK_STREAM or SOCK_DGRAM. A stream connection is two <see cref="Pipe"/>s, one per
/// direction, made when connect reaches a listener (the client is connected at once; the server's end waits in
/// the listener's backlog until accept takes it) or by socketpair. shutdown(SHUT_WR) closes the outgoing pipe's
/// write side (the peer reads end of file), SHUT_RD the incoming pipe's read side (the peer's writes fail with
/// EPIPE). A datagram socket has a bounded <see cref="DatagramRing"/> that senders fill with the message and
/// their address. Names live in <see cref="UnixDomain.Names"/>. Used on the CPU's thread only.
/// Limitations: no SOCK_SEQPACKET; no SCM_RIGHTS or credentials; a blocking stream write moves what fits and
/// answers a short count, as pipes do here.
/// </summary>
internal sealed class UnixSocket(UnixDomain domain, int type, int flags) : Socket(type, flags)
{
    private const short POLLRDHUP = 0x2000;

    private string? _key;               // this socket's entry in domain.Names, if it made one
    private byte[]? _name;              // the bound address after the family; null if unbound
    private UnixSocket? _peer;          // stream: the other end; datagram: the default destination
    private Pipe? _inPipe, _outPipe;    // a connected stream's directions
    private FileDescription? _inEnd, _outEnd;   // the pipe ends this socket holds (released at shutdown)
    private bool _readShut, _writeShut, _closed;
    private int _error;                 // a pending error (ECONNRESET: the peer closed with data unread)
    private Queue<UnixSocket>? _pending;    // a listener's connections not yet accepted
    private int _backlog;
    private DatagramRing? _messages;

    public override int Family => AF_UNIX;
    public override bool Listening => _pending != null;
    private bool Connected => _inPipe != null;
    private UnixDomain Domain => domain;
    private DatagramRing Messages => _messages ??= new DatagramRing(DefaultBuffer);

    public override IWaitQueue? WaitQueue => _inPipe?.Queue ?? domain.Queue;
    public override int Available => Connected ? _inPipe!.Buffered : Type == SOCK_DGRAM ? Messages.NextLength : 0;

    /// <summary>Connects two fresh sockets as socketpair does; false without wait queues.</summary>
    public static bool Pair(UnixSocket a, UnixSocket b)
    {
        if (a.Type == SOCK_DGRAM)
        {
            a._peer = b;
            b._peer = a;
            return true;
        }
        if (a.Domain.NewConnection() is not var (ab, ba)) return false;
        a.Join(b, ab, ba);
        return true;
    }

    // Makes this and `server` the two ends of a stream connection: `ab` carries this side's writes.
    private void Join(UnixSocket server, Pipe ab, Pipe ba)
    {
        var (abRead, abWrite) = ab.Open(0);
        var (baRead, baWrite) = ba.Open(0);
        (_inPipe, _outPipe, _inEnd, _outEnd, _peer) = (ba, ab, baRead, abWrite, server);
        (server._inPipe, server._outPipe, server._inEnd, server._outEnd, server._peer) = (ab, ba, abRead, baWrite, this);
    }

    // The name-table key of an address: a path as it is; an abstract name per socket type, as Linux hashes it.
    private string KeyOf(in Endpoint at) => at.UnixKey![0] == '/' ? at.UnixKey : UnixDomain.AbstractKey(Type, at.UnixKey);

    public override int Bind(in Endpoint at)
    {
        if (at.Family != AF_UNIX) return -Errno.EINVAL;
        string key;
        byte[] name;
        if (at.UnixName!.Length == 0) (key, name) = domain.Autobind(Type);
        else
        {
            (key, name) = (KeyOf(at), at.UnixName);
            // Linux makes a path's file before it looks at the socket: an existing path wins over "already bound".
            if (key[0] == '/' && (domain.Names.ContainsKey(key) || at.UnixPathExists)) return -EADDRINUSE;
            if (_name == null && domain.Names.ContainsKey(key)) return -EADDRINUSE;
        }
        if (_name != null) return -Errno.EINVAL;
        domain.Names[key] = this;
        (_key, _name) = (key, name);
        return 0;
    }

    public override int Listen(int backlog)
    {
        if (Type == SOCK_DGRAM) return -Errno.EOPNOTSUPP;
        if (_name == null || Connected) return -Errno.EINVAL;
        _backlog = backlog;
        _pending ??= new Queue<UnixSocket>();
        domain.Changed();
        return 0;
    }

    public override int Accept(int flags, out Socket? accepted)
    {
        accepted = null;
        if (_pending == null) return -Errno.EINVAL;
        if (_pending.Count == 0) return -Errno.EAGAIN;
        var server = _pending.Dequeue();
        server.StatusFlags = (server.StatusFlags & ~SOCK_NONBLOCK) | (flags & SOCK_NONBLOCK);
        accepted = server;
        domain.Changed();   // room in the backlog for a waiting connect
        return 0;
    }

    public override int Connect(in Endpoint to)
    {
        if (to.Family == AF_UNSPEC && Type == SOCK_DGRAM)
        {
            _peer = null;
            return 0;
        }
        if (to.Family != AF_UNIX || to.UnixName!.Length == 0) return -Errno.EINVAL;
        int r = Find(to, out UnixSocket? target);
        if (r < 0) return r;
        if (Type == SOCK_DGRAM)
        {
            _peer = target;
            return 0;
        }
        if (Listening) return -Errno.EINVAL;
        if (Connected) return -EISCONN;
        if (!target!.Listening) return -ECONNREFUSED;
        if (target._pending!.Count > target._backlog) return -Errno.EAGAIN;
        if (domain.NewConnection() is not var (ab, ba)) return -Errno.ENOSYS;
        var server = new UnixSocket(domain, Type, 0) { _name = target._name };
        Join(server, ab, ba);
        target._pending.Enqueue(server);
        domain.Changed();
        return 0;
    }

    // The live socket of this type bound to `to`: -ENOENT for a path nobody bound, -ECONNREFUSED for a name
    // whose socket is gone, -EPROTOTYPE for a socket of another type.
    private int Find(in Endpoint to, out UnixSocket? target)
    {
        if (!domain.Names.TryGetValue(KeyOf(to), out target))
            return to.UnixKey![0] == '/' && !to.UnixPathExists ? -Errno.ENOENT : -ECONNREFUSED;
        if (target == null) return -ECONNREFUSED;
        return target.Type != Type ? -EPROTOTYPE : 0;
    }

    public override long Send(ReadOnlySpan<byte> data, in Endpoint? to, int flags)
    {
        if (Type != SOCK_DGRAM)
        {
            if (to != null) return Connected ? -EISCONN : -Errno.EOPNOTSUPP;
            if (!Connected) return -ENOTCONN;
            return _writeShut ? -Errno.EPIPE : _outPipe!.Write(data);
        }
        UnixSocket? target = _peer;
        if (to is { } t)
        {
            if (t.Family != AF_UNIX || t.UnixName!.Length == 0) return -Errno.EINVAL;
            int r = Find(t, out target);
            if (r < 0) return r;
        }
        else if (target == null) return -ENOTCONN;
        if (_writeShut) return -Errno.EPIPE;
        if (target!._closed) return -ECONNREFUSED;
        if (target._readShut) return -Errno.EPIPE;
        Span<byte> from = stackalloc byte[UnixAddressMax];
        int fromLength = _name == null ? 0 : WriteAddress(from, _name);
        if (!target.Messages.CanEverFit(data.Length, fromLength)) return -EMSGSIZE;
        if (!target.Messages.TryEnqueue(data, from[..fromLength])) return -Errno.EAGAIN;
        domain.Changed();
        return data.Length;
    }

    public override long Receive(Span<byte> buffer, int flags, Span<byte> from, out int fromLength)
    {
        fromLength = 0;
        bool peek = (flags & MSG_PEEK) != 0;
        if (Type == SOCK_DGRAM)
        {
            int n = Messages.Dequeue(buffer, from, peek, out fromLength);
            if (n < 0) return _readShut ? 0 : -Errno.EAGAIN;
            if (!peek) domain.Changed();
            return n;
        }
        if (!Connected) return -Errno.EINVAL;
        if (_inPipe!.Buffered == 0 && _error != 0) return -TakeError();
        if (_readShut && _inPipe!.Buffered == 0) return 0;
        long got = _inPipe!.Read(buffer, peek);
        if (got > 0 && _peer!._name is { } name) fromLength = WriteAddress(from, name);
        return got;
    }

    public override int Shutdown(int how)
    {
        if (how is < SHUT_RD or > SHUT_RDWR) return -Errno.EINVAL;
        if (Type != SOCK_DGRAM && !Connected) return -ENOTCONN;
        if (how != SHUT_WR && !_readShut)
        {
            _readShut = true;
            _inEnd?.Release();
            _inEnd = null;
        }
        if (how != SHUT_RD && !_writeShut)
        {
            _writeShut = true;
            _outEnd?.Release();
            _outEnd = null;
        }
        if (Type == SOCK_DGRAM && _peer != null)
        {
            // Linux shuts the connected peer's opposite directions too.
            if (how != SHUT_WR) _peer._writeShut = true;
            if (how != SHUT_RD) _peer._readShut = true;
        }
        domain.Changed();
        return 0;
    }

    public override int Name(Span<byte> address, bool peer)
    {
        byte[]? name = _name;
        if (peer)
        {
            if (_peer == null || (Type != SOCK_DGRAM && !Connected)) return -ENOTCONN;
            name = _peer._name;
        }
        return WriteAddress(address, name ?? []);
    }

    // struct sockaddr_un {sa_family_t family; char path[]}: writes what fits; returns the full length.
    private static int WriteAddress(Span<byte> address, byte[] name)
    {
        Span<byte> full = stackalloc byte[2 + name.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(full, AF_UNIX);
        name.CopyTo(full[2..]);
        full[..Math.Min(full.Length, address.Length)].CopyTo(address);
        return full.Length;
    }

    public override int TakeError()
    {
        int e = _error;
        _error = 0;
        return -e;
    }

    public override short Poll()
    {
        if (Listening) return _pending!.Count > 0 ? FileAbi.POLLIN : (short)0;
        int state = 0;
        if (Type == SOCK_DGRAM)
        {
            if (!Messages.IsEmpty || _readShut) state |= FileAbi.POLLIN;
            if (_peer == null || _peer._closed || _peer.Messages.Fits(0, UnixAddressMax)) state |= FileAbi.POLLOUT;
            if (_readShut) state |= POLLRDHUP;
            if (_readShut && _writeShut) state |= FileAbi.POLLHUP;
            return (short)state;
        }
        if (!Connected) return FileAbi.POLLOUT | FileAbi.POLLHUP;
        bool receiveShut = _readShut || _inPipe!.Writers == 0, sendShut = _writeShut || _outPipe!.Readers == 0;
        if (_inPipe!.Buffered > 0 || receiveShut) state |= FileAbi.POLLIN;
        if (receiveShut) state |= POLLRDHUP;
        if (_outPipe!.Buffered < Pipe.Capacity) state |= FileAbi.POLLOUT;
        if (receiveShut && sendShut) state |= FileAbi.POLLHUP;
        if (_error != 0) state |= FileAbi.POLLERR;
        return (short)state;
    }

    protected override void Close()
    {
        _closed = true;
        if (_peer != null && _inPipe is { Buffered: > 0 }) _peer._error = ECONNRESET;
        _inEnd?.Release();
        _outEnd?.Release();
        _inEnd = _outEnd = null;
        while (_pending is { Count: > 0 }) _pending.Dequeue().Release();
        if (_key != null && domain.Names.TryGetValue(_key, out var owner) && owner == this)
        {
            if (_key[0] == '/') domain.Names[_key] = null;   // the socket file stays until unlinked
            else domain.Names.Remove(_key);
        }
        domain.Changed();
    }
}
