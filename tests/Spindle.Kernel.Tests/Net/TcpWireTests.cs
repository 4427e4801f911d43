using System.Buffers.Binary;
using System.Security.Cryptography;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Machine.Devices;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Tests.Net;

/// <summary>
/// TCP between two systems in one process on a wire, each with the stack (Tcp and the kernel echo included) as
/// extensions: connect, transfer and close; megabytes each way through loss, reordering and duplication arriving
/// byte-identical; TIME_WAIT; a reset from a closed port; a SYN flood held to the backlog; seeded fuzzed segments
/// aimed at an open connection. The test is the application on both sides: it calls ITcp between pumps.
/// </summary>
public sealed class TcpWireTests(TestHome home) : IClassFixture<TestHome>
{
    private const uint IpA = WireLink.IpA, IpB = WireLink.IpB;
    private const ulong MacA = WireLink.MacA, MacB = WireLink.MacB;
    private const ushort TcpEchoPort = 7;

    // One side of a transfer: sends `outgoing` as the window allows, hashes what arrives, closes after sending.
    private sealed class Endpoint(ITcpConnection connection, byte[] outgoing)
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _buffer = new byte[64 << 10];
        private int _sent;
        public long Received;
        public bool SawEnd, ShutDown;
        public ITcpConnection Connection => connection;

        public void Step()
        {
            while (_sent < outgoing.Length)
            {
                int n = connection.Send(outgoing.AsSpan(_sent));
                if (n <= 0) break;
                _sent += n;
            }
            if (_sent == outgoing.Length && !ShutDown) { Assert.Equal(0, connection.Shutdown(read: false, write: true)); ShutDown = true; }
            while (!SawEnd)
            {
                int n = connection.Receive(_buffer);
                if (n == -11) break;
                Assert.True(n >= 0, $"receive failed: {n}");
                if (n == 0) SawEnd = true;
                _hash.AppendData(_buffer, 0, n);
                Received += n;
            }
        }

        public byte[] Hash() => _hash.GetHashAndReset();
    }

    // a's connection to b's kernel echo, established.
    private static ITcpConnection ConnectToEcho(WireLink link)
    {
        Assert.Equal(0, link.A.Tcp.Connect(new TcpEndpoint(IpB, TcpEchoPort), default, out var c));
        Assert.True(link.PumpUntil(() => c!.State == TcpState.Established), $"connection {c!.State}");
        return c!;
    }

    // Puts the i-th hand-made frame on the wire from a's side (the test thread is a's CPU), pumping both while a's
    // ring is full and every 64 frames, so b's card keeps up.
    private static void Inject(WireLink link, ReadOnlySpan<byte> frame, int i)
    {
        while (!link.A.Nic.TryTransmit(frame)) { link.A.Pump(); link.B.Pump(); }
        if (i % 64 == 0) { link.A.Pump(); link.B.Pump(); }
    }

    // Sends `text` on a connection to the echo and reads it back.
    private static void AssertEchoes(WireLink link, ITcpConnection c, ReadOnlySpan<byte> text)
    {
        byte[] ping = text.ToArray(), back = new byte[ping.Length];
        Assert.Equal(ping.Length, c.Send(ping));
        int got = 0;
        Assert.True(link.PumpUntil(() => (got += Math.Max(0, c.Receive(back.AsSpan(got)))) == ping.Length), $"echoed {got} of {ping.Length}");
        Assert.Equal(ping, back);
    }

    private static ITcpConnection Accept(WireLink link, ITcpListener listener)
    {
        ITcpConnection? accepted = null;
        Assert.True(link.PumpUntil(() => listener.Accept(out accepted) == 0), "no connection to accept");
        return accepted!;
    }

    [Fact]
    public void ConnectsEchoesAndCloses()
    {
        using var link = new WireLink(home.Path);
        var (a, b) = (link.A, link.B);
        Assert.Equal(0, a.Tcp.Connect(new TcpEndpoint(IpB, 7), default, out var c));
        Assert.Equal(TcpState.SynSent, c!.State);
        Assert.True(link.PumpUntil(() => c.State == TcpState.Established));
        Assert.True(c.Readiness.HasFlag(TcpReadiness.Writable));
        var data = new byte[200_000];
        new Random(7).NextBytes(data);
        var echo = new List<byte>();
        int sent = 0;
        var buffer = new byte[8192];
        Assert.True(link.PumpUntil(() =>
        {
            if (sent < data.Length) { int n = c.Send(data.AsSpan(sent)); if (n > 0) sent += n; }
            for (int n; (n = c.Receive(buffer)) > 0;) echo.AddRange(buffer.AsSpan(0, n));
            return echo.Count == data.Length;
        }), $"echoed {echo.Count} of {data.Length}");
        Assert.Equal(data, echo.ToArray());

        c.Close();                                             // we close first: FIN_WAIT, then TIME_WAIT here
        Assert.True(link.PumpUntil(() => c.State == TcpState.TimeWait && b.Tcp.Counts.Connections == 0), $"a: {c.State}, b: {b.Tcp.Counts.Connections} connections");
        Assert.Equal(1, a.Tcp.Counts.Connections);             // the pair stays taken for 2 MSL
        Assert.Equal(-98, a.Tcp.Connect(new TcpEndpoint(IpB, 7), c.Local with { Address = 0 }, out _));   // EADDRINUSE
        Assert.Equal(0, a.Tcp.Connect(new TcpEndpoint(IpB, 7), default, out var again));   // another ephemeral port is free
        Assert.True(link.PumpUntil(() => again!.State == TcpState.Established));
        again!.Abort();
        Assert.True(link.PumpUntil(() => b.Tcp.Counts.Connections == 0), "the reset did not reach b");
        Assert.True(link.PumpUntil(() => a.Kernel.Packets.InUse + b.Kernel.Packets.InUse == 0));
        Assert.Equal("", a.Faults + b.Faults);
    }

    [Fact]
    public void AClosedPortAnswersWithAReset()
    {
        using var link = new WireLink(home.Path);
        Assert.Equal(0, link.A.Tcp.Connect(new TcpEndpoint(IpB, 4444), default, out var c));
        Assert.True(link.PumpUntil(() => c!.State == TcpState.Closed), $"still {c!.State}");
        Assert.True(c!.Readiness.HasFlag(TcpReadiness.Error));
        Assert.Equal(-111, c.TakeError());                    // ECONNREFUSED
        Assert.True(link.B.Tcp.Counts.ResetsSent >= 1);
        Assert.Equal(0, link.A.Tcp.Counts.Connections);
    }

    [Fact]
    public void ListenersRefuseATakenPortAndPassConnectionsToAccept()
    {
        using var link = new WireLink(home.Path);
        var (a, b) = (link.A, link.B);
        Assert.Equal(0, b.Tcp.Listen(new TcpEndpoint(0, 5000), 4, out var listener));
        Assert.Equal(-98, b.Tcp.Listen(new TcpEndpoint(0, 5000), 4, out _));
        Assert.Equal(TcpReadiness.None, listener!.Readiness);
        Assert.Equal(0, a.Tcp.Connect(new TcpEndpoint(IpB, 5000), default, out var c));
        var accepted = Accept(link, listener);
        Assert.Equal(new TcpEndpoint(IpA, c!.Local.Port), accepted.Remote);
        Assert.Equal(-11, listener.Accept(out _));
        Assert.Equal(5, accepted.Send("hello"u8));
        var buffer = new byte[16];
        int got = 0;
        Assert.True(link.PumpUntil(() => (got = c.Receive(buffer)) > 0));
        Assert.Equal("hello"u8.ToArray(), buffer[..got]);
        accepted.Close();                                      // b closes first: a sees the end of the stream
        Assert.True(link.PumpUntil(() => c.Receive(buffer) == 0 && c.Readiness.HasFlag(TcpReadiness.ReadHangUp)));
        Assert.Equal(TcpState.CloseWait, c.State);
        Assert.Equal(4, c.Send("late"u8));                     // still allowed: half-closed, then our FIN
        c.Close();
        listener.Close();
        Assert.True(link.PumpUntil(() => a.Tcp.Counts.Connections == 0 && b.Tcp.Counts.Connections == 1), $"a {a.Tcp.Counts}, b {b.Tcp.Counts}");
    }

    [Fact]
    public void MegabytesEachWayArriveIdenticalThroughLossReorderingAndDuplication()
    {
        // The issue asks 50 MB each way; the test moves SPINDLE_TCP_TEST_MB (default 4) to keep the suite's time moderate.
        int megabytes = int.TryParse(Environment.GetEnvironmentVariable("SPINDLE_TCP_TEST_MB"), out int mb) && mb > 0 ? mb : 4;
        using var link = new WireLink(home.Path, new NetFaults { Loss = 0.05, Reorder = 0.10, Duplicate = 0.01, Seed = 20261203 });
        var (a, b) = (link.A, link.B);
        var up = new byte[megabytes << 20];
        var down = new byte[megabytes << 20];
        new Random(1).NextBytes(up);
        new Random(2).NextBytes(down);
        Assert.Equal(0, b.Tcp.Listen(new TcpEndpoint(0, 5001), 8, out var listener));
        Assert.Equal(0, a.Tcp.Connect(new TcpEndpoint(IpB, 5001), default, out var c));
        var client = new Endpoint(c!, up);
        var server = new Endpoint(Accept(link, listener!), down);
        Assert.True(link.PumpUntil(() =>
        {
            client.Step();
            server.Step();
            return client.SawEnd && server.SawEnd;
        }, seconds: 60 + megabytes * 30), $"client got {client.Received}, server got {server.Received} of {up.Length}; a {a.Tcp.Counts}, b {b.Tcp.Counts}");
        Assert.Equal(SHA256.HashData(up), server.Hash());
        Assert.Equal(SHA256.HashData(down), client.Hash());
        Assert.True(a.Tcp.Counts.Retransmitted > 0 && b.Tcp.Counts.Retransmitted > 0, "no loss was recovered");
        client.Connection.Close();
        server.Connection.Close();
        Assert.True(link.PumpUntil(() => a.Kernel.Packets.InUse + b.Kernel.Packets.InUse == 0));
        Assert.Equal("", a.Faults + b.Faults);
    }

    [Fact]
    public void ASynFloodCostsOnlyTheBacklogAndAnEstablishedConnectionKeepsWorking()
    {
        using var link = new WireLink(home.Path);
        var (a, b) = (link.A, link.B);
        var c = ConnectToEcho(link);
        const int backlog = 16;
        Assert.Equal(0, b.Tcp.Listen(new TcpEndpoint(0, 8080), backlog, out var listener));
        var random = new Random(99);
        var frame = new byte[80];
        int most = 0;
        for (int i = 0; i < 100_000; i++)
        {
            // From addresses of the network nobody has (so the SYN-ACKs wait on ARP), random ports.
            uint source = IpA & 0xffffff00 | (uint)random.Next(3, 255);
            int n = Segment(frame, source, (ushort)random.Next(1024, 65536), 8080, (uint)random.Next(), 0, 0x02, []);
            Inject(link, frame.AsSpan(0, n), i);
            if (i % 64 == 0) most = Math.Max(most, b.Tcp.Counts.Connections);
        }
        Assert.True(link.PumpUntil(() => b.Nic.ReceiveQueued == 0 && b.Nic.ReceivedFrames + b.Nic.ReceiveDropped >= 100_000, 60));
        b.Pump();
        most = Math.Max(most, b.Tcp.Counts.Connections);
        Assert.True(most <= backlog + 1, $"{most} connections held for a backlog of {backlog}");
        Assert.True(b.Tcp.Counts.SynsDropped >= 50_000, $"{b.Tcp.Counts}, {b.Nic.ReceiveDropped} frames dropped by the card");
        AssertEchoes(link, c, "still served during the flood"u8);
        listener!.Close();                                     // its half-open connections go with it
        Assert.Equal(1, b.Tcp.Counts.Connections);
        Assert.Equal("", a.Faults + b.Faults);
    }

    [Fact]
    public void FuzzedSegmentsLeaveTheStackAndAnOpenConnectionWorking()
    {
        using var link = new WireLink(home.Path);
        var (a, b) = (link.A, link.B);
        var c = ConnectToEcho(link);
        link.PumpUntil(() => a.Kernel.Packets.InUse + b.Kernel.Packets.InUse == 0, 5);
        int baseline = b.Kernel.Packets.InUse;
        var random = new Random(424242);
        var frame = new byte[1600];
        var options = new byte[40];
        for (int i = 0; i < 100_000; i++)
        {
            byte flags = (byte)(i & 0x3f);                      // every flag combination, in turn
            int optionBytes = random.Next(11) * 4;
            random.NextBytes(options.AsSpan(0, optionBytes));
            if (optionBytes > 0 && random.Next(2) == 0) options[0] = (byte)random.Next(4);   // MSS, window scale, NOP, EOL with lying lengths
            var payload = new byte[random.Next(3) == 0 ? random.Next(0, 1400) : 0];
            random.NextBytes(payload);
            bool toTheConnection = random.Next(2) == 0;
            ushort sourcePort = toTheConnection ? c!.Local.Port : (ushort)random.Next(1, 65536);
            ushort destinationPort = toTheConnection ? (ushort)7 : (ushort)random.Next(1, 12);
            // With a right checksum, a segment of the open connection's pair is kept out of its window (an injected
            // byte or reset inside it would be accepted, as by any TCP): the state machine still sees every flag.
            uint seq = toTheConnection ? (uint)random.Next(1 << 30, int.MaxValue) : (uint)random.Next();
            int n = Segment(frame, IpA, sourcePort, destinationPort, seq, (uint)random.Next(), flags, options.AsSpan(0, optionBytes), payload);
            switch (random.Next(6))
            {
                case 0: frame[14 + 20 + 16] ^= (byte)random.Next(1, 256); break;                               // bad checksum
                case 1: frame[14 + 20 + 12] = (byte)(random.Next(16) << 4); break;                             // lying data offset
                case 2: n = random.Next(14 + 20, n + 1); break;                                                 // truncated
                default: break;
            }
            Inject(link, frame.AsSpan(0, n), i);
        }
        Assert.True(link.PumpUntil(() => b.Nic.ReceiveQueued == 0, 60));
        Assert.Equal("", a.Faults + b.Faults);
        Assert.True(b.Tcp.Counts.Malformed > 10_000, $"{b.Tcp.Counts}");
        Assert.Equal(TcpState.Established, c!.State);
        AssertEchoes(link, c, "still echoed after the fuzz"u8);
        Assert.True(link.PumpUntil(() => b.Kernel.Packets.InUse == baseline, 10));
    }

    // An Ethernet frame to b carrying a TCP segment from `source` with a right IP header and TCP checksum.
    private static int Segment(byte[] f, uint source, ushort sourcePort, ushort destinationPort, uint seq, uint ack, byte flags,
        ReadOnlySpan<byte> options, ReadOnlySpan<byte> payload = default)
    {
        EtherAddress.Write(f, MacB);
        EtherAddress.Write(f.AsSpan(6), MacA);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), EtherType.Ip);
        int tcpLength = 20 + options.Length + payload.Length;
        var ip = f.AsSpan(14, 20);
        ip.Clear();
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + tcpLength));
        ip[8] = 64;
        ip[9] = IpProtocol.Tcp;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], source);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], IpB);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], IpProtocol.Checksum(ip));
        var t = f.AsSpan(34, tcpLength);
        t.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(t, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(t[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(t[8..], ack);
        t[12] = (byte)((20 + options.Length) / 4 << 4);
        t[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(t[14..], 8192);
        options.CopyTo(t[20..]);
        payload.CopyTo(t[(20 + options.Length)..]);
        uint pseudo = (source >> 16) + (source & 0xffff) + (IpB >> 16) + (IpB & 0xffff) + IpProtocol.Tcp + (uint)tcpLength;
        BinaryPrimitives.WriteUInt16BigEndian(t[16..], IpProtocol.Checksum(t, pseudo));
        return 34 + tcpLength;
    }
}
