using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Time;

namespace Spindle.Extensions.Net;

/// <summary>
/// TCP (RFC 793, 1122, 5681, 6298, 6582, 7323's window scale), SPIN's Plexus Tcp: installed on Ip's
/// PacketArrived guarded by <c>Protocol == Tcp</c>. A segment whose header length does not fit or whose checksum
/// is wrong is dropped (counted); a valid one is first raised on <see cref="PacketArrived"/> (handlers guard on
/// the destination port or the address pair, and a handler answering true takes it: a forwarder's hook), then
/// handed to its connection (a table keyed by local port and remote address and port), or to the listener of its
/// port if it is a SYN, or answered by a reset. The connections' timers run on one kernel alarm (the extension
/// may start no thread): it is set to the earliest deadline of any connection, and on firing every connection
/// runs the timers due. Sending and receiving copy through each connection's fixed rings; segments go out in
/// packets lent by the kernel's pool, freed as soon as the layers below have copied them into the card, so
/// nothing is allocated per segment.
/// <para>Limitations: one address (the interface's); no SACK, timestamps, urgent data, SYN cookies or path MTU
/// discovery; the out-of-order queue keeps <see cref="TcpConnection.MaxGaps"/> ranges; TIME_WAIT lasts a fixed
/// <see cref="TimeWaitNs"/>; Listen takes a port held only by connections (as with SO_REUSEADDR).</para>
/// </summary>
public sealed class Tcp : IExtension, ITcp
{
    // The errors TCP answers: Spindle.Sdk.Io.Errno's, and Linux's numbers of the network's (Errno has none yet).
    internal const int EAGAIN = Errno.EAGAIN, EINVAL = Errno.EINVAL, EPIPE = Errno.EPIPE, EADDRINUSE = 98, ENETUNREACH = 101, ECONNRESET = 104,
        ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111;

    internal const int DefaultBufferBytes = 256 << 10, MinBufferBytes = 4 << 10, MaxBufferBytes = 4 << 20;
    internal const int DefaultMss = 536, InitialWindowSegments = 10, MaxCongestionWindow = 16 << 20;
    internal const int WindowShift = 7, SynRetries = 6, DataRetries = 12, KeepProbes = 9;
    internal const long InitialRtoNs = 1_000_000_000, MinRtoNs = 200_000_000, MaxRtoNs = 60_000_000_000, ClockGranularityNs = 1_000_000;
    internal const long MinRetryNs = 1_000_000, DelayedAckNs = 1_000_000, TimeWaitNs = 60_000_000_000, OrphanFinWaitNs = 60_000_000_000;
    internal const long KeepIdleNs = 7200L * 1_000_000_000, KeepIntervalNs = 75L * 1_000_000_000;
    internal const bool DelayedAck = true;

    /// <summary>Headroom a segment's packet is lent with: Ethernet, IPv4 and the largest TCP header we write.</summary>
    private const int Headroom = EtherType.HeaderBytes + 20 + 28;
    private const ushort FirstEphemeral = 49152;

    private readonly Dictionary<ulong, TcpConnection> _connections = new();
    private readonly Dictionary<ushort, TcpListener> _listeners = new();
    private readonly List<TcpConnection> _timerScratch = new();
    private IIp _ip = null!;
    private IMbufPool _pool = null!;
    private IStrandService _clock = null!;
    private IAlarm _alarm = null!;
    private int _nextId;
    private ushort _nextPort = FirstEphemeral;
    private uint _issState;
    private long _received, _sent, _retransmitted, _synsDropped, _resets, _malformed;

    public Event<TcpReadinessChange, bool> ReadinessChanged { get; private set; } = null!;
    public Event<TcpPacket, bool> PacketArrived { get; private set; } = null!;

    public TcpCounts Counts => new(_connections.Count, _listeners.Count, _received, _sent, _retransmitted, _synsDropped, _resets, _malformed);

    internal uint Address => _ip.Address;
    internal long Now => _clock.Now;
    internal int LocalMss { get; private set; }

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _ip = context.Import<IIp>();
        _pool = context.Import<IMbufPool>();
        _clock = context.Import<IStrandService>();
        _alarm = context.Import<IAlarms>().Create("tcp");
        LocalMss = context.Import<IEthernet>().Interface.Mtu - 40;
        _issState = (uint)_clock.Now | 1;
        PacketArrived = NetEvents.Declare<TcpPacket>(context.Dispatcher, "Tcp.PacketArrived");
        ReadinessChanged = NetEvents.Declare<TcpReadinessChange>(context.Dispatcher, "Tcp.ReadinessChanged");
        context.Dispatcher.Install(_alarm.Fired, OnAlarm);
        context.Dispatcher.Install(_ip.PacketArrived, Arrived, p => p.Protocol == IpProtocol.Tcp);
        context.Export<ITcp>(this);
    }

    public int Listen(TcpEndpoint local, int backlog, out ITcpListener? listener)
    {
        listener = null;
        if (backlog < 0 || (local.Address != 0 && local.Address != Address)) return -EINVAL;
        ushort port = local.Port != 0 ? local.Port : EphemeralPort(0, 0);
        if (port == 0) return -EADDRINUSE;
        if (_listeners.ContainsKey(port)) return -EADDRINUSE;
        var l = new TcpListener(this, NextId(), new TcpEndpoint(local.Address, port), Math.Clamp(backlog, 1, 4096));
        _listeners.Add(port, l);
        listener = l;
        return 0;
    }

    public int Connect(TcpEndpoint remote, TcpEndpoint local, out ITcpConnection? connection)
    {
        connection = null;
        if (remote.Port == 0 || remote.Address == 0 || (local.Address != 0 && local.Address != Address)) return -EINVAL;
        if (Address == 0) return -ENETUNREACH;
        ushort port = local.Port != 0 ? local.Port : EphemeralPort(remote.Address, remote.Port);
        if (port == 0 || _connections.ContainsKey(KeyOf(port, remote.Address, remote.Port))) return -EADDRINUSE;
        var c = new TcpConnection(this, NextId(), new TcpEndpoint(Address, port), remote);
        _connections.Add(c.Key, c);
        connection = c;
        c.Start();
        return 0;
    }

    // A free ephemeral port toward remote:remotePort (none bound to a listener); 0 if all are taken.
    private ushort EphemeralPort(uint remote, ushort remotePort)
    {
        for (int i = 0; i <= ushort.MaxValue - FirstEphemeral; i++)
        {
            ushort port = _nextPort;
            _nextPort = _nextPort == ushort.MaxValue ? FirstEphemeral : (ushort)(_nextPort + 1);
            if (!_listeners.ContainsKey(port) && !_connections.ContainsKey(KeyOf(port, remote, remotePort))) return port;
        }
        return 0;
    }

    private bool Arrived(IpPacket p)
    {
        var packet = p.Packet;
        if (p.Destination != Address || !TcpSegment.TryParse(packet.Data, p.Source, p.Destination, out var s)) { _malformed++; return false; }
        _received++;
        if (PacketArrived.Raise(new TcpPacket(s.SourcePort, s.DestinationPort, p.Source, p.Destination, s.Sequence, s.Acknowledgment, s.Flags, packet)))
            return true;
        var payload = packet.Data.Slice(s.HeaderBytes, s.PayloadBytes);
        if (_connections.TryGetValue(KeyOf(s.DestinationPort, p.Source, s.SourcePort), out var c)) { c.Input(s, payload); return true; }
        if (s.Has(TcpFlags.Rst)) return true;
        if (s.Has(TcpFlags.Syn) && !s.Has(TcpFlags.Ack) && _listeners.TryGetValue(s.DestinationPort, out var l))
        {
            if (!l.TrySyn(s, new TcpEndpoint(p.Source, s.SourcePort), out var opened)) { _synsDropped++; return true; }
            _connections.Add(opened!.Key, opened);
            opened.Start();
            return true;
        }
        // RFC 793: no connection: a reset that the sender will accept.
        if (s.Has(TcpFlags.Ack)) SendReset(p.Source, s.DestinationPort, s.SourcePort, s.Acknowledgment, 0, TcpFlags.Rst);
        else SendReset(p.Source, s.DestinationPort, s.SourcePort, 0, s.Sequence + (uint)s.SequenceLength, TcpFlags.Rst | TcpFlags.Ack);
        return true;
    }

    /// <summary>Sends a reset from <paramref name="localPort"/> that carries no connection's state.</summary>
    internal void SendReset(uint remote, ushort localPort, ushort remotePort, uint seq, uint ack, byte flags)
    {
        if (!TryAllocate(out var packet)) return;
        TcpSegment.Write(packet, Address, remote, localPort, remotePort, seq, ack, flags, 0, 0, -1);
        if (Transmit(remote, packet)) _resets++;
        Free(packet);
    }

    // The alarm: every connection runs its due timers; the alarm is set again to the earliest next deadline.
    private bool OnAlarm(long now)
    {
        _timerScratch.Clear();
        _timerScratch.AddRange(_connections.Values);
        long next = -1;
        foreach (var c in _timerScratch)
        {
            long at = c.State == TcpState.Closed ? -1 : c.OnTimer(now);
            if (at >= 0 && (next < 0 || at < next)) next = at;
        }
        _timerScratch.Clear();
        if (next >= 0) Wake(next);
        return true;
    }

    /// <summary>Makes sure the alarm fires by <paramref name="at"/>.</summary>
    internal void Wake(long at)
    {
        long pending = _alarm.Deadline;
        if (pending < 0 || at < pending) _alarm.Set(at);
    }

    internal void Announce(ITcpSocket socket, TcpReadiness readiness) => ReadinessChanged.Raise(new TcpReadinessChange(socket, readiness));

    internal void Remove(TcpConnection c)
    {
        if (_connections.TryGetValue(c.Key, out var held) && ReferenceEquals(held, c)) _connections.Remove(c.Key);
    }

    internal void RemoveListener(TcpListener l) => _listeners.Remove(l.Local.Port);

    internal int NextId() => ++_nextId;

    // xorshift32 over a clock-seeded state, plus the clock in 4 us steps (RFC 793's ISN clock).
    internal uint NewIss()
    {
        _issState ^= _issState << 13;
        _issState ^= _issState >> 17;
        _issState ^= _issState << 5;
        return _issState + (uint)(Now / 4000);
    }

    internal void CountRetransmit() => _retransmitted++;

    internal bool TryAllocate(out Mbuf packet) => _pool.TryAllocate(Headroom, out packet);

    internal void Free(Mbuf packet) => _pool.Free(packet);

    internal bool Transmit(uint remote, Mbuf packet)
    {
        if (!_ip.Send(remote, IpProtocol.Tcp, packet)) return false;
        _sent++;
        return true;
    }

    internal static ulong KeyOf(ushort localPort, uint remote, ushort remotePort) => (ulong)remote << 32 | (ulong)localPort << 16 | remotePort;
}
