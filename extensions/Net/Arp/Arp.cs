using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Net;
using Spindle.Sdk.Strand;

namespace Spindle.Extensions.Net;

/// <summary>
/// ARP (RFC 826), SPIN's Plexus Arp: installed on Ether's PacketArrived guarded by <c>Type == Arp</c>. It answers
/// requests for this system's address (rewriting the request into the reply in place, no copy), learns the
/// sender of any request or reply aimed at this system, and updates entries it already has from any ARP
/// packet. Malformed packets (wrong hardware or protocol type or sizes, short) are dropped. An entry not
/// confirmed for <see cref="StaleNs"/> is still used, but each use past that broadcasts a request again (at
/// most one a second), so a wrong entry (a corrupted reply; ARP has no checksum) is corrected by the owner's reply.
/// <para>Limitations: the table holds at most <see cref="MaxEntries"/> addresses (when full, it is cleared and
/// relearned); a miss broadcasts a request every time it is asked; nothing waits for resolution.</para>
/// </summary>
public sealed class Arp : IExtension, IArp
{
    /// <summary>Most addresses the table holds.</summary>
    public const int MaxEntries = 256;

    /// <summary>Nanoseconds after which an entry is confirmed again.</summary>
    public const long StaleNs = 5_000_000_000;

    private const long ProbeNs = 1_000_000_000;
    private const int PacketBytes = 28;
    private const ushort Request = 1, Reply = 2;
    private readonly Dictionary<uint, Entry> _table = new();
    private IEthernet _ether = null!;
    private IMbufPool _pool = null!;
    private IStrandService _clock = null!;

    // A resolved address: its MAC, when an ARP packet last confirmed it, when it was last asked for again.
    private readonly record struct Entry(ulong Mac, long Confirmed, long Probed);

    public int Count => _table.Count;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _ether = context.Import<IEthernet>();
        _pool = context.Import<IMbufPool>();
        _clock = context.Import<IStrandService>();
        context.Dispatcher.Install(_ether.PacketArrived, Arrived, p => p.Type == EtherType.Arp);
        context.Export<IArp>(this);
    }

    public bool TryResolve(uint address, out ulong mac)
    {
        if (_table.TryGetValue(address, out var entry))
        {
            mac = entry.Mac;
            long now = _clock.Now;
            if (now - entry.Confirmed > StaleNs && now - entry.Probed > ProbeNs)
            {
                _table[address] = entry with { Probed = now };
                Ask(address);
            }
            return true;
        }
        mac = 0;
        Ask(address);
        return false;
    }

    // Broadcasts a request for `address`.
    private void Ask(uint address)
    {
        if (_pool.TryAllocate(EtherType.HeaderBytes, out var packet))
        {
            var interfaceMac = _ether.Interface.MacAddress;
            Write(packet.Append(PacketBytes), Request, interfaceMac, _ether.Interface.Address, 0, address);
            _ether.Send(EtherAddress.Broadcast, EtherType.Arp, packet);
            _pool.Free(packet);
        }
    }

    private bool Arrived(EtherPacket p)
    {
        var packet = p.Packet;
        var d = packet.Data;
        if (d.Length < PacketBytes || BinaryPrimitives.ReadUInt16BigEndian(d) != 1 || BinaryPrimitives.ReadUInt16BigEndian(d[2..]) != EtherType.Ip
            || d[4] != 6 || d[5] != 4) return false;
        ushort op = BinaryPrimitives.ReadUInt16BigEndian(d[6..]);
        ulong senderMac = EtherAddress.Read(d[8..]);
        uint senderIp = BinaryPrimitives.ReadUInt32BigEndian(d[14..]), targetIp = BinaryPrimitives.ReadUInt32BigEndian(d[24..]);
        uint me = _ether.Interface.Address;
        if (senderIp == 0 || senderMac == EtherAddress.Broadcast || (senderMac & (1UL << 40)) != 0) return false;
        bool known = _table.ContainsKey(senderIp);
        if (known || (targetIp == me && me != 0)) Learn(senderIp, senderMac);
        if (op != Request || targetIp != me || me == 0) return known || targetIp == me;
        packet.Trim(d.Length - PacketBytes);                       // the reply replaces the request in place
        Write(packet.Data, Reply, _ether.Interface.MacAddress, me, senderMac, senderIp);
        _ether.Send(senderMac, EtherType.Arp, packet);
        return true;
    }

    private void Learn(uint address, ulong mac)
    {
        if (_table.Count >= MaxEntries && !_table.ContainsKey(address)) _table.Clear();
        _table[address] = new Entry(mac, _clock.Now, 0);
    }

    private static void Write(Span<byte> d, ushort op, ulong senderMac, uint senderIp, ulong targetMac, uint targetIp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(d, 1);
        BinaryPrimitives.WriteUInt16BigEndian(d[2..], EtherType.Ip);
        d[4] = 6;
        d[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(d[6..], op);
        EtherAddress.Write(d[8..], senderMac);
        BinaryPrimitives.WriteUInt32BigEndian(d[14..], senderIp);
        EtherAddress.Write(d[18..], targetMac);
        BinaryPrimitives.WriteUInt32BigEndian(d[24..], targetIp);
    }
}
