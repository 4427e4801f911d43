using System.Security.Cryptography;
using Spindle.Machine.Devices;

namespace Spindle.Machine.Tests.Devices;

/// <summary>
/// The NIC, its in-process wire and its UDP tunnel: frames cross whole and in order, bounded rings refuse
/// (transmit) or drop and count (receive) when full and raise the line when room comes back, and the wire's
/// faults are seeded: the same seed gives the same fate to the same frames, another seed another.
/// </summary>
public sealed class NicTests
{
    private const ulong MacA = 0x02_00_00_00_00_0a, MacB = 0x02_00_00_00_00_0b;
    private static readonly Action<int, Exception> NoFault = (line, e) => Assert.Fail($"line {line} faulted: {e}");

    // A backend that never sends: the card's transmit ring only fills.
    private sealed class Unplugged : INicBackend
    {
        public int Kicks;
        public void Start(Nic nic) { }
        public void Kick() => Kicks++;
        public void Dispose() { }
    }

    private static byte[] Frame(ulong destination, int length, int tag)
    {
        var f = new byte[length];
        for (int i = 0; i < 6; i++) f[i] = (byte)(destination >> (40 - 8 * i));
        f[12] = 0x88;
        f[13] = 0xb5;                                   // the local experimental ethertype
        BitConverter.TryWriteBytes(f.AsSpan(14), tag);
        for (int i = 18; i < length; i++) f[i] = (byte)(tag * 7 + i);
        return f;
    }

    // Waits (bounded) until `done` holds, with the CPU's side of card b drained into `received`.
    private static void Receive(Nic b, InterruptLines lines, List<byte[]> received, Func<bool> done)
    {
        var buffer = new byte[b.MaxFrame];
        for (int round = 0; round < 20_000 && !done(); round++)
        {
            lines.Bell.Wait(1_000_000);
            lines.Drain(NoFault);
            for (int n; (n = b.Receive(buffer)) > 0;) received.Add(buffer[..n]);
        }
    }

    [Fact]
    public void TheRingRefusesWhenFullAndSaysWhenAFrameDoesNotFit()
    {
        var ring = new NetFrameRing(4, 100);
        for (int i = 0; i < 4; i++) Assert.True(ring.TryPush(new byte[] { (byte)i, 1, 2 }));
        Assert.False(ring.TryPush(new byte[] { 9 }));
        Assert.False(new NetFrameRing(4, 100).TryPush(new byte[101]));
        Assert.Equal(-90, ring.Pop(new byte[2]));       // too short: -EMSGSIZE, the frame stays
        var into = new byte[100];
        Assert.Equal(3, ring.Pop(into));
        Assert.Equal(0, into[0]);
        Assert.True(ring.TryPush(new byte[] { 4 }));     // room again
        Assert.Equal(4, ring.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetFrameRing(3, 100));
    }

    [Fact]
    public void ATransmitRingThatIsFullRefusesAndTheLineRisesWhenRoomComesBack()
    {
        var backend = new Unplugged();
        var nic = new Nic("eth0", MacA, backend, ringSlots: 8);
        var lines = new InterruptLines();
        int interrupts = 0;
        nic.Attach(lines);
        nic.Watch(() => interrupts++);
        for (int i = 0; i < 8; i++) Assert.True(nic.TryTransmit(Frame(MacB, 60, i)));
        Assert.False(nic.TryTransmit(Frame(MacB, 60, 8)));
        Assert.Equal(0, lines.Drain(NoFault));
        Assert.Equal(60, nic.PeekTransmit().Length);   // the backend sends one
        nic.TransmitDone();
        Assert.Equal(1, lines.Drain(NoFault));
        Assert.Equal(1, interrupts);
        Assert.True(nic.TryTransmit(Frame(MacB, 60, 9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => nic.TryTransmit(new byte[nic.MaxFrame + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => nic.TryTransmit(new byte[13]));
    }

    [Fact]
    public void FramesCrossTheWireWholeAndInOrderAndAFullReceiveRingDropsAndCounts()
    {
        using var wire = new NetWire();
        var a = new Nic("a", MacA, wire.EndA);
        var b = new Nic("b", MacB, wire.EndB, ringSlots: 16);
        var (linesA, linesB) = (new InterruptLines(), new InterruptLines());
        a.Attach(linesA);
        b.Attach(linesB);
        var sent = Enumerable.Range(0, 16).Select(i => Frame(MacB, 14 + 4 + i * 90, i)).ToList();
        foreach (var f in sent) Assert.True(a.TryTransmit(f));
        var received = new List<byte[]>();
        Receive(b, linesB, received, () => received.Count == 16);
        Assert.Equal(sent, received);

        // Nobody drains b now: its ring of 16 fills, and the rest is dropped and counted.
        for (int i = 0; i < 40; i++) Assert.True(a.TryTransmit(Frame(MacB, 64, i)));
        for (int round = 0; round < 20_000 && wire.Counts(0).Delivered < 56; round++) Thread.Sleep(1);
        Assert.Equal(56, wire.Counts(0).Delivered);
        Assert.Equal(16 + 16, b.ReceivedFrames);
        Assert.Equal(40 - 16, b.ReceiveDropped);
    }

    [Fact]
    public void TheSameSeedGivesTheSameFaultsAndAnotherSeedOthers()
    {
        var faults = NetFaults.Parse("loss=0.1,corrupt=0.05,duplicate=0.05,reorder=0.1,delay=0.05,delayms=2,seed=7", out string? error)!;
        Assert.Null(error);
        var (countsOne, hashOne) = RunFaulty(faults);
        var (countsTwo, hashTwo) = RunFaulty(faults);
        var (countsOther, hashOther) = RunFaulty(faults with { Seed = 8 });
        Assert.Equal(countsOne, countsTwo);
        Assert.Equal(hashOne, hashTwo);
        Assert.NotEqual(hashOne, hashOther);
        Assert.NotEqual(countsOne, countsOther);
        Assert.True(countsOne.Lost > 0 && countsOne.Corrupted > 0 && countsOne.Duplicated > 0 && countsOne.Reordered > 0 && countsOne.Delayed > 0);
        Assert.Equal(countsOne.Sent - countsOne.Lost, countsOne.Delivered);
    }

    // Sends 1000 frames one by one (each waits until it has left, so that timing cannot change the fates) and
    // returns the wire's counts and a hash of the multiset of frames received (reordering changes order only).
    private static (NetWireCounts, string) RunFaulty(NetFaults faults)
    {
        using var wire = new NetWire(faults);
        var a = new Nic("a", MacA, wire.EndA);
        var b = new Nic("b", MacB, wire.EndB, ringSlots: 2048);
        var (linesA, linesB) = (new InterruptLines(), new InterruptLines());
        a.Attach(linesA);
        b.Attach(linesB);
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(a.TryTransmit(Frame(MacB, 100, i)));
            for (int round = 0; round < 20_000 && wire.Counts(0).Sent <= i; round++) Thread.Sleep(0);
        }
        var received = new List<byte[]>();
        Receive(b, linesB, received, () => { var n = wire.Counts(0); return received.Count == n.Delivered + n.Duplicated && n.Delivered + n.Lost + n.Unplugged == 1000; });
        var c = wire.Counts(0);
        Assert.Equal(c.Delivered + c.Duplicated, received.Count);
        var hash = SHA256.HashData(received.Select(Convert.ToHexString).Order(StringComparer.Ordinal).SelectMany(s => System.Text.Encoding.ASCII.GetBytes(s)).ToArray());
        return (c, Convert.ToHexString(hash));
    }

    [Fact]
    public void FramesCrossAUdpTunnelOnTheLoopbackBothWays()
    {
        int portA = FreePort(), portB = FreePort();
        using var tunnelA = NetUdpTunnel.Open(portA, portB, out string? error) ?? throw new InvalidOperationException(error);
        using var tunnelB = NetUdpTunnel.Open(portB, portA, out error) ?? throw new InvalidOperationException(error);
        var a = new Nic("a", MacA, tunnelA);
        var b = new Nic("b", MacB, tunnelB);
        var (linesA, linesB) = (new InterruptLines(), new InterruptLines());
        a.Attach(linesA);
        b.Attach(linesB);
        var toB = Enumerable.Range(0, 20).Select(i => Frame(MacB, 60 + i * 70, i)).ToList();
        var toA = Enumerable.Range(0, 20).Select(i => Frame(MacA, 1514 - i * 70, i)).ToList();
        foreach (var f in toB) Assert.True(a.TryTransmit(f));
        foreach (var f in toA) Assert.True(b.TryTransmit(f));
        var (atB, atA) = (new List<byte[]>(), new List<byte[]>());
        Receive(b, linesB, atB, () => atB.Count == 20);
        Receive(a, linesA, atA, () => atA.Count == 20);
        Assert.Equal(toB, atB);
        Assert.Equal(toA, atA);
        Assert.Null(NetUdpTunnel.Open(0, portB, out error));
        Assert.Contains("1..65535", error);
        Assert.Null(NetUdpTunnel.Open(portA, portB, out error));    // the port is taken
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [Fact]
    public void FaultsParseAndBadOnesAreRefused()
    {
        var f = NetFaults.Parse("loss=0.05, reorder=0.1,seed=3", out string? error)!;
        Assert.Equal((0.05, 0.1, 3), (f.Loss, f.Reorder, f.Seed));
        Assert.Null(NetFaults.Parse("loss=2", out error));
        Assert.Contains("[0, 1]", error);
        Assert.Null(NetFaults.Parse("jitter=0.1", out error));
        Assert.Contains("unknown fault", error);
        Assert.Null(NetFaults.Parse("seed=x", out error));
    }
}
