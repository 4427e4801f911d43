using System.Buffers.Binary;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Machine.Devices;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Tests.Net;

/// <summary>
/// Bad input into the protocol stack: 100,000 seeded random and mutated frames (truncated headers, lying length
/// fields, bad checksums, fragments, wrong versions and types, random bytes) are delivered to a system's card and
/// drained through the stack. No handler faults, nothing escapes the driver, the packet pool is back at its
/// baseline, and the ICMP and UDP echoes still answer afterwards.
/// </summary>
public sealed class StackFuzzTests(TestHome home) : IClassFixture<TestHome>
{
    private const ulong Me = 0x02_00_00_00_00_0b, Peer = 0x02_00_00_00_00_0c;
    private const uint MyIp = 0x0a000002, PeerIp = 0x0a000009;

    // The card's host side for the test: frames sent are taken at once (the last one kept), frames received are
    // delivered by the test itself through Nic.Deliver.
    private sealed class Sink : INicBackend
    {
        private Nic? _nic;
        public readonly byte[] Last = new byte[1514];
        public int LastLength, Sent;
        public void Start(Nic nic) => _nic = nic;
        public void Kick()
        {
            for (var f = _nic!.PeekTransmit(); !f.IsEmpty; f = _nic.PeekTransmit())
            {
                f.CopyTo(Last);
                LastLength = f.Length;
                Sent++;
                _nic.TransmitDone();
            }
        }
        public void Dispose() { }
    }

    [Fact]
    public void TheEchoDoesNotAnswerAnotherEchoSoTwoCannotBounceAPacketForever()
    {
        var sink = new Sink();
        using var node = new NetNode(home.Path, sink, Me, "10.0.0.2/24");
        var frame = new byte[1600];
        node.Nic.Deliver(frame.AsSpan(0, Arp(frame, PeerIp, 1)));
        node.Pump();
        int sent = sink.Sent;
        node.Nic.Deliver(frame.AsSpan(0, Udp(frame, 7, "from an echo"u8, sourcePort: 7)));
        node.Pump();
        Assert.Equal(sent, sink.Sent);
        node.Nic.Deliver(frame.AsSpan(0, Udp(frame, 7, "from a client"u8)));
        node.Pump();
        Assert.Equal(sent + 1, sink.Sent);
    }

    [Fact]
    public void HundredThousandBadFramesLeaveTheStackWorkingAndNothingLent()
    {
        var sink = new Sink();
        using var node = new NetNode(home.Path, sink, Me, "10.0.0.2/24");
        int baseline = node.Kernel.Packets.InUse;
        var random = new Random(20261203);
        var frame = new byte[1600];
        for (int i = 0; i < 100_000; i++)
        {
            int length = Mutate(random, frame, Template(random, frame, random.Next(5)));
            node.Nic.Deliver(frame.AsSpan(0, length));
            node.Stack.Interface.Drain();                    // on this thread: anything escaping the driver fails the test
            Assert.True(node.Nic.ReceiveQueued == 0, $"frame {i} left queued");
        }
        Assert.True(sink.Sent > 1000, $"only {sink.Sent} frames answered: the fuzz did not reach the stack");   // the whole ones one in eight were answered
        Assert.Equal("", node.Faults);
        Assert.Equal(0, node.Stack.Interface.HandlerFaults);
        Assert.Equal(baseline, node.Kernel.Packets.InUse);

        // The echoes still answer: after ARP (the peer asks for this system's address, which teaches it the peer's),
        // a UDP datagram to port 7 and an ICMP echo request come back to the sender.
        int n = Arp(frame, PeerIp, 1);
        node.Nic.Deliver(frame.AsSpan(0, n));
        node.Pump();
        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(sink.Last.AsSpan(20)));     // an ARP reply to the peer
        Assert.Equal(Peer, EtherAddress.Read(sink.Last));
        byte[] payload = "still alive after the fuzz"u8.ToArray();
        n = Udp(frame, 7, payload);
        node.Nic.Deliver(frame.AsSpan(0, n));
        node.Pump();
        var reply = sink.Last.AsSpan(0, sink.LastLength);
        Assert.Equal(Peer, EtherAddress.Read(reply));
        Assert.Equal(IpProtocol.Udp, reply[23]);
        Assert.Equal(PeerIp, BinaryPrimitives.ReadUInt32BigEndian(reply[30..]));
        Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(reply[34..]));
        Assert.Equal(payload, reply[42..].ToArray());
        Assert.Equal(0, IpProtocol.Checksum(reply[14..34]));

        n = Icmp(frame, payload);
        node.Nic.Deliver(frame.AsSpan(0, n));
        node.Pump();
        reply = sink.Last.AsSpan(0, sink.LastLength);
        Assert.Equal(IpProtocol.Icmp, reply[23]);
        Assert.Equal(0, reply[34]);                          // echo reply
        Assert.Equal(0, IpProtocol.Checksum(reply[34..]));
        Assert.Equal(payload, reply[42..].ToArray());
        Assert.Equal(baseline, node.Kernel.Packets.InUse);
    }

    // A well-formed frame of one of five kinds addressed to this system; returns its length.
    private static int Template(Random random, byte[] f, int kind)
    {
        byte[] data = new byte[random.Next(0, 200)];
        random.NextBytes(data);
        return kind switch
        {
            0 => Arp(f, (uint)random.Next(), (ushort)random.Next(1, 3)),
            1 => Icmp(f, data),
            2 => Udp(f, 7, data),
            3 => Udp(f, (ushort)random.Next(1, 65536), data),
            _ => IpWithOptions(f, data),
        };
    }

    // Damages the frame in one of several ways (or leaves it whole, one time in eight); returns the new length.
    private static int Mutate(Random random, byte[] f, int length)
    {
        switch (random.Next(8))
        {
            case 0: length = random.Next(1, 1600); random.NextBytes(f.AsSpan(0, length)); if (random.Next(2) == 0) EtherAddress.Write(f, Me); break;
            case 1: length = random.Next(1, length + 1); break;                                    // truncated anywhere
            case 2: for (int k = random.Next(1, 5); k > 0; k--) f[random.Next(Math.Min(length, 64))] ^= (byte)random.Next(1, 256); break;
            case 3: BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)random.Next(65536)); break;   // IP total length lies
            case 4: f[14] = (byte)(0x40 | random.Next(16)); break;                                  // header length lies
            case 5: if (length >= 40) BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(38), (ushort)random.Next(65536)); break; // UDP length lies
            case 6: BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(20), (ushort)random.Next(1, 65536)); Reseal(f); break;   // a fragment
            default: break;
        }
        return length;
    }

    // Recomputes the IPv4 header checksum (so that a mutation reaches the layers above IP).
    private static void Reseal(byte[] f)
    {
        int ihl = (f[14] & 15) * 4;
        if (ihl < 20) return;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), 0);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), IpProtocol.Checksum(f.AsSpan(14, ihl)));
    }

    private static void Ether(byte[] f, ushort type)
    {
        EtherAddress.Write(f, Me);
        EtherAddress.Write(f.AsSpan(6), Peer);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), type);
    }

    private static int Arp(byte[] f, uint senderIp, ushort op)
    {
        Ether(f, EtherType.Arp);
        var d = f.AsSpan(14);
        BinaryPrimitives.WriteUInt32BigEndian(d, 0x0001_0800);
        d[4] = 6; d[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(d[6..], op);
        EtherAddress.Write(d[8..], Peer);
        BinaryPrimitives.WriteUInt32BigEndian(d[14..], senderIp);
        EtherAddress.Write(d[18..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(d[24..], MyIp);
        return 14 + 28;
    }

    private static int Ip(byte[] f, byte protocol, int optionBytes, int payloadLength)
    {
        Ether(f, EtherType.Ip);
        int ihl = 20 + optionBytes;
        var h = f.AsSpan(14, ihl);
        h.Clear();
        h[0] = (byte)(0x40 | ihl / 4);
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)(ihl + payloadLength));
        h[8] = 64;
        h[9] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(h[12..], PeerIp);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], MyIp);
        for (int i = 20; i < ihl; i++) h[i] = 1;                                  // no-operation options
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], IpProtocol.Checksum(h));
        return 14 + ihl;
    }

    private static int Udp(byte[] f, ushort port, ReadOnlySpan<byte> data, ushort sourcePort = 5555)
    {
        int at = Ip(f, IpProtocol.Udp, 0, 8 + data.Length);
        var u = f.AsSpan(at, 8 + data.Length);
        BinaryPrimitives.WriteUInt16BigEndian(u, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(u[2..], port);
        BinaryPrimitives.WriteUInt16BigEndian(u[4..], (ushort)u.Length);
        BinaryPrimitives.WriteUInt16BigEndian(u[6..], 0);
        data.CopyTo(u[8..]);
        uint pseudo = (PeerIp >> 16) + (PeerIp & 0xffff) + (MyIp >> 16) + (MyIp & 0xffff) + IpProtocol.Udp + (uint)u.Length;
        BinaryPrimitives.WriteUInt16BigEndian(u[6..], IpProtocol.Checksum(u, pseudo));
        return at + u.Length;
    }

    private static int Icmp(byte[] f, ReadOnlySpan<byte> data)
    {
        int at = Ip(f, IpProtocol.Icmp, 0, 8 + data.Length);
        var m = f.AsSpan(at, 8 + data.Length);
        m[..8].Clear();
        m[0] = 8;
        BinaryPrimitives.WriteUInt32BigEndian(m[4..], 0x1234_0001);
        data.CopyTo(m[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(m[2..], IpProtocol.Checksum(m));
        return at + m.Length;
    }

    private static int IpWithOptions(byte[] f, ReadOnlySpan<byte> data)
    {
        int at = Ip(f, IpProtocol.Udp, 8, data.Length);
        data.CopyTo(f.AsSpan(at));
        return at + data.Length;
    }
}
