using Spindle.Kernel.Dispatcher;
using Spindle.Machine.Devices;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Net;

/// <summary>
/// The kernel's driver of one network card, exported to the protocol extensions as <see cref="INetworkInterface"/>.
/// <para>
/// Contract. Built before the CPU runs (it watches the card's line). On the CPU's thread, when the line is
/// raised, <see cref="Drain"/> takes every frame queued in the card: each goes into a packet lent by the
/// kernel's <see cref="PacketPool"/> with <see cref="Headroom"/> bytes in front (so an answer's headers fit
/// where the received ones were), <see cref="FrameArrived"/> is raised with it, and the packet is freed when
/// the raise returns, whatever the handlers did. With no packet free, the frame is read into a scratch buffer
/// and dropped. A handler's fault does not stop the drain (metered handlers' faults are contained by the
/// dispatcher; anything else is counted in <see cref="HandlerFaults"/>). Nothing is allocated per frame.
/// </para>
/// </summary>
public sealed class NetInterface : INetworkInterface
{
    /// <summary>Bytes left in front of a received frame.</summary>
    public const int Headroom = 64;

    private static readonly KernelOwner Owner = new("net");
    private readonly INetworkDevice _device;
    private readonly PacketPool _pool;
    private readonly byte[] _scratch;
    private long _received, _receiveDropped, _transmitted, _transmitDropped, _handlerFaults;

    /// <summary>The driver of <paramref name="device"/>, lending packets from <paramref name="pool"/>, its event declared on <paramref name="dispatcher"/>.</summary>
    public NetInterface(INetworkDevice device, PacketPool pool, Dispatcher.Dispatcher dispatcher, NetAddress address)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        ArgumentNullException.ThrowIfNull(address);
        if (pool.BufferSize < Headroom + device.Mtu + EtherType.HeaderBytes)
            throw new ArgumentException($"packets of {pool.BufferSize} bytes cannot hold a {device.Mtu}-byte MTU frame", nameof(pool));
        (Address, PrefixLength, Gateway) = (address.Address, address.PrefixLength, address.Gateway);
        _scratch = new byte[pool.BufferSize];
        FrameArrived = Trap.TrapEvents.Declare<LinkFrame>(dispatcher, Owner, $"Net.{device.Name}.FrameArrived", static _ => false);
        device.Watch(Drain);
    }

    public string Name => _device.Name;
    public ulong MacAddress => _device.MacAddress;
    public int Mtu => _device.Mtu;
    public uint Address { get; }
    public int PrefixLength { get; }
    public uint Gateway { get; }
    public Event<LinkFrame, bool> FrameArrived { get; }
    public NetworkCounts Counts => new(_received, _receiveDropped, _transmitted, _transmitDropped);

    /// <summary>Faults that escaped a handler of <see cref="FrameArrived"/> (a kernel module's; extensions' are contained).</summary>
    public long HandlerFaults => _handlerFaults;

    public bool Transmit(Mbuf frame)
    {
        var data = frame.Data;
        if (data.Length < EtherType.HeaderBytes || data.Length > Mtu + EtherType.HeaderBytes || !_device.TryTransmit(data))
        {
            _transmitDropped++;
            return false;
        }
        _transmitted++;
        return true;
    }

    /// <summary>CPU thread (the card's line): hands every queued frame up, one raise each.</summary>
    public void Drain()
    {
        while (true)
        {
            if (!_pool.TryAllocate(Headroom, out var packet))
            {
                if (_device.Receive(_scratch) <= 0) return;
                _receiveDropped++;
                continue;
            }
            int n = _device.Receive(packet.Append(_pool.BufferSize - Headroom));
            if (n <= 0) { _pool.Free(packet); return; }
            packet.Trim(_pool.BufferSize - Headroom - n);
            _received++;
            try { FrameArrived.Raise(new LinkFrame(packet)); }
            catch (Exception) { _handlerFaults++; }
            finally { _pool.Free(packet); }
        }
    }
}

/// <summary>The IPv4 configuration of an interface: address, prefix length, default gateway (host byte order; 0: none).</summary>
public sealed record NetAddress(uint Address, int PrefixLength, uint Gateway = 0)
{
    /// <summary>
    /// Parses <c>A.B.C.D/PREFIX</c> (and an optional gateway <c>A.B.C.D</c>). Null and the reason in
    /// <paramref name="error"/> if either is malformed or the gateway is off the network.
    /// </summary>
    public static NetAddress? Parse(string address, string? gateway, out string? error)
    {
        error = null;
        int slash = address.IndexOf('/');
        if (slash < 0 || !TryParseIp(address[..slash], out uint ip) || !int.TryParse(address[(slash + 1)..], out int prefix) || prefix is < 1 or > 32)
        { error = $"{address}: expected ADDRESS/PREFIX (for example 10.0.0.2/24)"; return null; }
        uint gw = 0;
        if (gateway != null && !TryParseIp(gateway, out gw)) { error = $"{gateway}: expected an IPv4 address"; return null; }
        uint mask = prefix == 32 ? ~0u : ~(~0u >> prefix);
        if (gw != 0 && (gw & mask) != (ip & mask)) { error = $"gateway {gateway} is not on {address}'s network"; return null; }
        return new NetAddress(ip, prefix, gw);
    }

    /// <summary>Parses a dotted quad into host byte order.</summary>
    public static bool TryParseIp(string text, out uint address)
    {
        address = 0;
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || int.Parse(part) > 255) return false;
            address = address << 8 | uint.Parse(part);
        }
        return true;
    }
}
