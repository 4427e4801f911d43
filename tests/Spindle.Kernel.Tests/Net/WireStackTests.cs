using Spindle.Kernel.Tests.Compiler;
using Spindle.Machine.Devices;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Tests.Net;

/// <summary>
/// Two systems in one process joined by a wire, each with the protocol stack as extensions: ARP resolves, ICMP
/// echo and the in-kernel UDP echo answer, byte for byte, also over a wire that loses, corrupts, duplicates and
/// reorders frames; and every packet lent goes back to the pool.
/// </summary>
public sealed class WireStackTests(TestHome home) : IClassFixture<TestHome>
{
    private const ulong MacA = WireLink.MacA, MacB = WireLink.MacB;
    private const uint IpA = WireLink.IpA, IpB = WireLink.IpB;
    private const ushort ClientPort = 40000;

    [Fact]
    public void ArpResolvesTheOtherSystem()
    {
        using var link = new WireLink(home.Path);
        var (a, b) = (link.A, link.B);
        Assert.False(a.Arp.TryResolve(IpB, out _));          // not yet known: a request goes out
        ulong mac = 0;
        Assert.True(NetNode.Retry(a, b, () => { }, () => a.Arp.TryResolve(IpB, out mac)));
        Assert.Equal(MacB, mac);
        Assert.True(b.Arp.TryResolve(IpA, out mac));         // b learned a from the request aimed at it
        Assert.Equal(MacA, mac);
        Assert.False(a.Arp.TryResolve(0x0a000063, out _));   // nobody has .99
        Assert.False(NetNode.PumpUntil(a, b, () => a.Arp.TryResolve(0x0a000063, out _), seconds: 0.5));
    }

    [Fact]
    public void IcmpEchoIsAnswered()
    {
        using var link = new WireLink(home.Path);
        var (a, b) = (link.A, link.B);
        var replies = new Dictionary<ushort, byte[]>();
        a.Test.Install(a.Icmp.PacketArrived, p => { if (p.Identifier == 77) replies.TryAdd(p.Sequence, p.Packet.Data.ToArray()); return true; }, p => p.Type == 0);
        byte[] data = "spindle ping payload"u8.ToArray();
        for (ushort seq = 1; seq <= 3; seq++)
        {
            ushort s = seq;
            Assert.True(NetNode.Retry(a, b, () => a.Icmp.SendEcho(IpB, 77, s, data), () => replies.ContainsKey(s)), $"echo {s} unanswered");
        }
        Assert.Equal(new ushort[] { 1, 2, 3 }, replies.Keys.Order());
        Assert.All(replies.Values, r => Assert.Equal(data, r));
        Assert.True(NetNode.PumpUntil(a, b, () => a.Kernel.Packets.InUse + b.Kernel.Packets.InUse == 0));
    }

    [Fact]
    public void UdpEchoAnswersEveryDatagramByteForByte() => EchoAll(null, datagrams: 100);

    [Fact]
    public void UdpEchoAnswersOverALossyCorruptingWire() =>
        EchoAll(new NetFaults { Loss = 0.1, Corrupt = 0.05, Duplicate = 0.05, Reorder = 0.1, Delay = 0.05, DelayMilliseconds = 2, Seed = 11 }, datagrams: 100);

    // Sends `datagrams` distinct payloads to b's echo port, and again every so often those not yet echoed (a lossy
    // wire loses requests and replies), until all came back; every echo must be the payload sent (a corrupted one
    // never gets through: the checksums drop it). Both pools are back to empty at the end.
    private void EchoAll(NetFaults? faults, int datagrams)
    {
        using var link = new WireLink(home.Path, faults);
        var (a, b, wire) = (link.A, link.B, link.Wire);
        var echoed = new Dictionary<int, byte[]>();
        int wrong = 0;
        a.Test.Install(a.Udp.PacketArrived, p =>
        {
            var d = p.Packet.Data;
            if (p.SourcePort != 7 || p.Source != IpB || d.Length < 4) { wrong++; return true; }
            int n = BitConverter.ToInt32(d);
            if (!Payload(n).AsSpan().SequenceEqual(d)) wrong++;
            echoed.TryAdd(n, d.ToArray());
            return true;
        }, p => p.DestinationPort == ClientPort);
        bool all = NetNode.Retry(a, b, () =>
        {
            for (int n = 0, sent = 0; n < datagrams && sent < 64; n++)   // at most 64 at a time: the card's ring holds 256
                if (!echoed.ContainsKey(n) && a.SendUdp(IpB, ClientPort, 7, Payload(n))) sent++;
        }, () => echoed.Count == datagrams, everyMs: 300);
        Assert.True(all, $"{echoed.Count} of {datagrams} echoed; a: {a.Faults}; b: {b.Faults}; {a.Stack.Interface.Counts} {b.Stack.Interface.Counts} {wire.Counts(0)} {wire.Counts(1)}");
        Assert.Equal(0, wrong);
        Assert.True(NetNode.PumpUntil(a, b, () => a.Kernel.Packets.InUse + b.Kernel.Packets.InUse == 0));
        if (faults != null) Assert.True(wire.Counts(0).Lost + wire.Counts(1).Lost > 0 && wire.Counts(0).Corrupted + wire.Counts(1).Corrupted > 0);
    }

    private static byte[] Payload(int n)
    {
        var p = new byte[16 + n * 13 % 1000];
        BitConverter.TryWriteBytes(p, n);
        for (int i = 4; i < p.Length; i++) p[i] = (byte)(n + i);
        return p;
    }
}
