using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;
using Spindle.Sdk.Strand;
using Spindle.Extensions.Linux.Files;
using static Spindle.Extensions.Linux.Net.SocketAbi;

namespace Spindle.Extensions.Linux.Net;

/// <summary>
/// What AF_INET datagram sockets share: the UDP service, the packet pool, the personality's dispatcher (each
/// bound socket installs one handler on <see cref="IUdp.PacketArrived"/> guarded by its port), the ports in use,
/// and the queue its waiters block on. Used on the CPU's thread only.
/// </summary>
internal sealed class UdpSockets(IUdp udp, IMbufPool pool, IDispatcher dispatcher, IWaitQueue queue, IWaitQueue? pollers)
{
    /// <summary>Linux's default ephemeral range (net.ipv4.ip_local_port_range).</summary>
    public const ushort FirstEphemeral = 32768, LastEphemeral = 60999;

    private readonly HashSet<ushort> _ports = [];
    private ushort _next = FirstEphemeral;

    public IUdp Udp => udp;
    public IMbufPool Pool => pool;
    public IDispatcher Dispatcher => dispatcher;
    public IWaitQueue Queue => queue;

    /// <summary>Wakes blocked receivers and pollers.</summary>
    public void Changed()
    {
        queue.WakeAll();
        pollers?.WakeAll();
    }

    /// <summary>Takes <paramref name="port"/> (0: the next free ephemeral port); the port, or -EADDRINUSE.</summary>
    public int Take(ushort port)
    {
        if (port != 0) return _ports.Add(port) ? port : -EADDRINUSE;
        for (int tries = 0; tries <= LastEphemeral - FirstEphemeral; tries++)
        {
            ushort candidate = _next;
            _next = _next == LastEphemeral ? FirstEphemeral : (ushort)(_next + 1);
            if (_ports.Add(candidate)) return candidate;
        }
        return -EADDRINUSE;
    }

    public void Give(ushort port) => _ports.Remove(port);
}

/// <summary>
/// An AF_INET SOCK_DGRAM socket over <see cref="IUdp"/>. Binding (explicitly, or on the first send or connect,
/// to an ephemeral port) installs a handler guarded by the port; it copies each datagram's payload and sender
/// into a bounded <see cref="DatagramRing"/> (a datagram that does not fit is dropped, as Linux drops on a full
/// receive buffer). A connected socket sends to its peer by default and takes datagrams from it only. Sending
/// borrows a packet from the pool, copies the payload in, and hands it to UDP.
/// Limitations: a datagram longer than one Ethernet frame's payload answers EMSGSIZE (no fragmentation on
/// sending); a send the layers below refuse (the peer's MAC not yet resolved, the card's ring full) answers
/// ENOBUFS; the bound address is reported but not used to filter; no IP options, multicast or SO_BROADCAST checks.
/// </summary>
internal sealed class UdpSocket(UdpSockets stack, int flags) : Socket(SOCK_DGRAM, flags)
{
    // Largest payload sent in one frame: 1500 - 20 (IP) - 8 (UDP).
    private const int MaxPayload = 1472;

    private readonly DatagramRing _received = new(DefaultBuffer);
    private IBinding? _binding;
    private ushort _port, _peerPort;
    private uint _address, _peerAddress;
    private bool _readShut, _writeShut;

    public override int Family => AF_INET;
    public override int Protocol => IPPROTO_UDP;
    public override IWaitQueue? WaitQueue => stack.Queue;
    public override int Available => _received.NextLength;

    public override int Bind(in Endpoint at)
    {
        if (at.Family != AF_INET) return -EAFNOSUPPORT;
        if (_port != 0) return -Errno.EINVAL;
        _address = at.Address;
        return BindPort(at.Port);
    }

    // Takes the port and installs the handler for it.
    private int BindPort(ushort port)
    {
        int taken = stack.Take(port);
        if (taken < 0) return taken;
        _port = (ushort)taken;
        ushort guardPort = _port;
        _binding = stack.Dispatcher.Install(stack.Udp.PacketArrived, Arrived, p => p.DestinationPort == guardPort);
        return 0;
    }

    // The packet handler: a datagram for this port (from the peer, if connected) joins the receive queue.
    private bool Arrived(UdpPacket p)
    {
        if (_peerPort != 0 && (p.Source != _peerAddress || p.SourcePort != _peerPort)) return false;
        if (_readShut) return true;
        Span<byte> from = stackalloc byte[InetAddressSize];
        WriteAddress(from, p.Source, p.SourcePort);
        if (_received.TryEnqueue(p.Packet.Data, from)) stack.Changed();
        return true;
    }

    public override int Connect(in Endpoint to)
    {
        if (to.Family == AF_UNSPEC)
        {
            (_peerAddress, _peerPort) = (0, 0);
            return 0;
        }
        if (to.Family != AF_INET) return -EAFNOSUPPORT;
        if (_port == 0 && BindPort(0) is var r && r < 0) return r;
        (_peerAddress, _peerPort) = (to.Address, to.Port);
        return 0;
    }

    public override long Send(ReadOnlySpan<byte> data, in Endpoint? to, int flags)
    {
        uint address = _peerAddress;
        ushort port = _peerPort;
        if (to is { } t)
        {
            if (t.Family != AF_INET) return -EAFNOSUPPORT;
            (address, port) = (t.Address, t.Port);
            if (port == 0) return -Errno.EINVAL;
        }
        else if (port == 0) return -EDESTADDRREQ;
        if (_writeShut) return -Errno.EPIPE;
        if (data.Length > MaxPayload || data.Length > stack.Pool.BufferSize - EtherType.UdpHeadroom) return -EMSGSIZE;
        if (_port == 0 && BindPort(0) is var r && r < 0) return r;
        if (!stack.Pool.TryAllocate(EtherType.UdpHeadroom, out Mbuf packet)) return -ENOBUFS;
        try
        {
            data.CopyTo(packet.Append(data.Length));
            return stack.Udp.Send(address, _port, port, packet) ? data.Length : -ENOBUFS;
        }
        finally { stack.Pool.Free(packet); }
    }

    public override long Receive(Span<byte> buffer, int flags, Span<byte> from, out int fromLength)
    {
        int n = _received.Dequeue(buffer, from, (flags & MSG_PEEK) != 0, out fromLength);
        if (n >= 0) return n;
        return _readShut ? 0 : -Errno.EAGAIN;
    }

    public override int Shutdown(int how)
    {
        if (how is < SHUT_RD or > SHUT_RDWR) return -Errno.EINVAL;
        if (_peerPort == 0) return -ENOTCONN;
        if (how != SHUT_WR) _readShut = true;
        if (how != SHUT_RD) _writeShut = true;
        stack.Changed();
        return 0;
    }

    public override int Name(Span<byte> address, bool peer)
    {
        if (peer && _peerPort == 0) return -ENOTCONN;
        Span<byte> full = stackalloc byte[InetAddressSize];
        if (peer) WriteAddress(full, _peerAddress, _peerPort);
        else WriteAddress(full, _address, _port);
        full[..Math.Min(full.Length, address.Length)].CopyTo(address);
        return InetAddressSize;
    }

    /// <summary>struct sockaddr_in {family; port (big-endian); address (big-endian); zero[8]}.</summary>
    public static void WriteAddress(Span<byte> to, uint address, ushort port)
    {
        to[..InetAddressSize].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(to, AF_INET);
        BinaryPrimitives.WriteUInt16BigEndian(to[2..], port);
        BinaryPrimitives.WriteUInt32BigEndian(to[4..], address);
    }

    public override short Poll() =>
        (short)((_received.IsEmpty && !_readShut ? 0 : FileAbi.POLLIN) | FileAbi.POLLOUT);

    protected override void Close()
    {
        _binding?.Uninstall();
        _binding = null;
        if (_port != 0) stack.Give(_port);
    }
}
