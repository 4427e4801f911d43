using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Kernel.Tests.Linux.Files;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Tests.Linux.Net;

/// <summary>
/// The personality's AF_INET stream sockets over an in-memory <see cref="FakeTcp"/> (the real TCP is the Tcp
/// extension's; these check the socket layer's side of the contract), the answers without a network, and a
/// seeded fuzz of every socket and poll-family call with wild arguments.
/// </summary>
public sealed class SocketCallTests
{
    private const int AF_UNIX = 1, AF_INET = 2, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_NONBLOCK = 0x800;
    private const int SOL_SOCKET = 1, SO_ERROR = 4, SO_REUSEADDR = 2, SOL_TCP = 6, TCP_NODELAY = 1;
    private const int EAFNOSUPPORT = 97, EINPROGRESS = 115, ECONNREFUSED = 111, EALREADY = 114, EISCONN = 106;

    private static Spindle.Sdk.Dispatcher.IDispatcher Dispatcher() =>
        new Spindle.Kernel.Dispatcher.Dispatcher().For(Spindle.Kernel.Dispatcher.KernelOwner.Core);

    private static (MemoryRootFixture F, FakeTcp Tcp) WithTcp()
    {
        var f = new MemoryRootFixture();
        var dispatcher = Dispatcher();
        var tcp = new FakeTcp(dispatcher);
        f.Personality.UseNetwork(dispatcher, () => null, () => tcp, () => null);
        return (f, tcp);
    }

    // struct sockaddr_in for 127.0.0.1:port at scratch page `page`.
    private static ulong Inet(MemoryRootFixture f, ushort port, int page = 1)
    {
        var a = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(a, AF_INET);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(2), port);
        BinaryPrimitives.WriteUInt32BigEndian(a.AsSpan(4), 0x7f000001);
        f.S.CopyOut(f.Page(page), a);
        return f.Page(page);
    }

    private static long SetInt(MemoryRootFixture f, long fd, int level, int name, int value)
    {
        f.S.CopyOut(f.Page(2), BitConverter.GetBytes(value));
        return f.Call(Sys.setsockopt, (ulong)fd, (ulong)level, (ulong)name, f.Page(2), 4);
    }

    private static int GetInt(MemoryRootFixture f, long fd, int level, int name)
    {
        f.S.CopyOut(f.Page(3), BitConverter.GetBytes(4));
        Assert.Equal(0, f.Call(Sys.getsockopt, (ulong)fd, (ulong)level, (ulong)name, f.Page(2), f.Page(3)));
        return BitConverter.ToInt32(f.S.Get(f.Page(2), 4));
    }

    private static short Revents(MemoryRootFixture f, long fd)
    {
        var pfd = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(pfd, (int)fd);
        BinaryPrimitives.WriteInt16LittleEndian(pfd.AsSpan(4), 0x2005); // POLLIN | POLLOUT | POLLRDHUP
        f.S.CopyOut(f.Page(4), pfd);
        f.S.CopyOut(f.Page(5), new byte[16]);
        Assert.True(f.Call(Sys.ppoll, f.Page(4), 1, f.Page(5), 0, 8) >= 0);
        return BinaryPrimitives.ReadInt16LittleEndian(f.S.Get(f.Page(4) + 6, 2));
    }

    [Fact]
    public void WithoutANetworkInetSocketsAreNotSupported()
    {
        var f = new MemoryRootFixture();
        Assert.Equal(-EAFNOSUPPORT, f.Call(Sys.socket, AF_INET, SOCK_STREAM, 0));
        f.Personality.UseNetwork(Dispatcher(), () => null, () => null, () => null);
        Assert.Equal(-EAFNOSUPPORT, f.Call(Sys.socket, AF_INET, SOCK_DGRAM, 0));
        Assert.Equal(-EAFNOSUPPORT, f.Call(Sys.socketpair, AF_INET, SOCK_STREAM, 0, f.Page(0)));
        Assert.True(f.Call(Sys.socket, AF_UNIX, SOCK_STREAM, 0) >= 0);
    }

    [Fact]
    public void ABlockingConnectWaitsForTheHandshakeThenDataFlowsBothWays()
    {
        var (f, tcp) = WithTcp();
        long server = f.Call(Sys.socket, AF_INET, SOCK_STREAM, 0);
        Assert.Equal(0, SetInt(f, server, SOL_SOCKET, SO_REUSEADDR, 1));
        Assert.Equal(0, SetInt(f, server, SOL_TCP, TCP_NODELAY, 1));
        Assert.Equal(1, GetInt(f, server, SOL_TCP, TCP_NODELAY));
        Assert.Equal(0, f.Call(Sys.bind, (ulong)server, Inet(f, 8080), 16));
        Assert.Equal(0, f.Call(Sys.listen, (ulong)server, 5));
        Assert.Contains((TcpOption.NoDelay, 1), tcp.OptionsSet);        // applied when the listener was made
        Assert.Contains((TcpOption.ReuseAddress, 1), tcp.OptionsSet);
        f.Call(Sys.accept4, (ulong)server, 0, 0, 0);
        Assert.NotNull(f.S.BlockedOn);                                    // nobody yet: accept waits

        long client = f.Call(Sys.socket, AF_INET, SOCK_STREAM, 0);
        f.Call(Sys.connect, (ulong)client, Inet(f, 8080), 16);
        Assert.NotNull(f.S.BlockedOn);                                    // waits for the handshake
        tcp.Run();
        Assert.Equal(0, f.Call(Sys.connect, (ulong)client, Inet(f, 8080), 16));   // the restart finds it established
        Assert.Null(f.S.BlockedOn);
        Assert.Equal(-EISCONN, f.Call(Sys.connect, (ulong)client, Inet(f, 8080), 16));

        f.S.CopyOut(f.Page(3), BitConverter.GetBytes(16));
        long accepted = f.Call(Sys.accept4, (ulong)server, f.Page(6), f.Page(3), 0);
        Assert.True(accepted > 0);
        Assert.Equal(AF_INET, BinaryPrimitives.ReadUInt16LittleEndian(f.S.Get(f.Page(6), 2)));
        Assert.Equal(40000, BinaryPrimitives.ReadUInt16BigEndian(f.S.Get(f.Page(6) + 2, 2)));  // the client's port

        Assert.Equal(5, f.WriteText(client, "hello"));
        Assert.Equal(0x5, Revents(f, accepted) & 0x5);                    // POLLIN | POLLOUT
        Assert.Equal("hello", f.ReadText(accepted));
        Assert.Equal(0, f.Call(Sys.shutdown, (ulong)accepted, 1));        // SHUT_WR: the client reads end of stream
        Assert.Equal(0x2001, Revents(f, client) & 0x2001);                // POLLIN | POLLRDHUP
        Assert.Equal("", f.ReadText(client));
    }

    [Fact]
    public void ANonBlockingConnectToNobodyReportsTheRefusalThroughSoError()
    {
        var (f, tcp) = WithTcp();
        long fd = f.Call(Sys.socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        Assert.Equal(-EINPROGRESS, f.Call(Sys.connect, (ulong)fd, Inet(f, 9), 16));
        Assert.Equal(-EALREADY, f.Call(Sys.connect, (ulong)fd, Inet(f, 9), 16));
        Assert.Equal(0, Revents(f, fd) & 0xd);
        Assert.Equal(-Errno.EAGAIN, f.Call(Sys.read, (ulong)fd, f.Page(6), 10));
        tcp.Run();
        Assert.Equal(0x8, Revents(f, fd) & 0x8);                         // POLLERR
        Assert.Equal(ECONNREFUSED, GetInt(f, fd, SOL_SOCKET, SO_ERROR));
        Assert.Equal(0, GetInt(f, fd, SOL_SOCKET, SO_ERROR));              // read once
    }

    /// <summary>Every socket and poll-family call with random descriptors, pointers (mapped, unmapped, null) and
    /// lengths, over unix and TCP sockets: each answers a result or a negated errno, never an exception.</summary>
    [Fact]
    public void WildArgumentsNeverThrow()
    {
        var (f, tcp) = WithTcp();
        int[] calls = [Sys.socket, Sys.socketpair, Sys.bind, Sys.listen, Sys.accept, Sys.accept4, Sys.connect, Sys.getsockname,
            Sys.getpeername, Sys.sendto, Sys.recvfrom, Sys.setsockopt, Sys.getsockopt, Sys.shutdown, Sys.sendmsg, Sys.recvmsg,
            Sys.epoll_create1, Sys.epoll_ctl, Sys.epoll_pwait, Sys.ppoll, Sys.pselect6, Sys.close, Sys.read, Sys.write];
        var random = new Random(20261203);
        ulong[] pointers = [0, f.Page(0), f.Page(1) + 3, f.Page(7) + 4090, 0xdead_0000, ulong.MaxValue - 7];
        for (int i = 0; i < 200_000; i++)
        {
            if (i % 1000 == 0)
            {
                var junk = new byte[4096];
                random.NextBytes(junk);
                f.S.CopyOut(f.Page(random.Next(8)), junk);
            }
            ulong Arg() => random.Next(4) switch
            {
                0 => (ulong)random.Next(-2, 12),
                1 => pointers[random.Next(pointers.Length)],
                2 => (ulong)random.Next(0, 300),
                _ => (ulong)random.NextInt64(),
            };
            int number = calls[random.Next(calls.Length)];
            if (number == Sys.socket) { f.Call(number, (ulong)random.Next(3), (ulong)random.Next(1, 4) | (ulong)(random.Next(2) * SOCK_NONBLOCK), 0); continue; }
            long r = f.Call(number, Arg(), Arg(), Arg(), Arg(), Arg(), Arg());
            Assert.True(r > -4096, $"call {number} answered {r}");
            if (i % 97 == 0) tcp.Run();
        }
    }
}
