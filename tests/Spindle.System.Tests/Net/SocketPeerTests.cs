using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Net;

/// <summary>
/// The personality's AF_INET datagram sockets against Linux's network stack, inside a network namespace of the
/// test's own (<c>unshare -rn</c>, tap0 at 10.0.2.2/24, Spindle at 10.0.2.15: nothing leaves the namespace). A
/// C echo program on Spindle (programs/udp_echo.c) serves port 5555 through socket, bind, recvfrom and sendto;
/// a python3 client in the namespace sends datagrams of several sizes and checks each comes back whole from port
/// 5555. Without a network, socket(AF_INET) answers EAFNOSUPPORT.
/// </summary>
public sealed class SocketPeerTests
{
    // Runs after TapNamespace's prelude (the echo program up as $SP, Spindle answering ping).
    private const string Script = """
        python3 - <<'PY'
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(2)
        def echo(payload):
            for attempt in range(30):
                s.sendto(payload, ("10.0.2.15", 5555))
                try:
                    while True:
                        data, (host, port) = s.recvfrom(4096)
                        if data == payload:
                            return host, port
                except socket.timeout:
                    pass
            return None
        ok = 0
        for size in (1, 16, 512, 1472):
            payload = bytes((i * 7 + size) % 256 for i in range(size))
            got = echo(payload)
            if got == ("10.0.2.15", 5555):
                ok += 1
            else:
                print("no echo of", size, "bytes:", got)
        print("echoed", ok, "of 4")
        print("quit:", echo(b"quit"))
        PY
        wait $SP
        echo "spindle exit $?"
        """;

    [Fact]
    public void AUdpEchoProgramOnSpindleAnswersLinux()
    {
        string program = CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Net", "programs", "udp_echo.c"));
        var (r, output, why) = TapNamespace.Run(Script, TimeSpan.FromMinutes(6), [program, "5555"]);
        Assert.False(r.TimedOut, why);
        Assert.Contains("echoed 4 of 4", r.StdoutText);
        Assert.Contains("quit: ('10.0.2.15', 5555)", r.StdoutText);
        Assert.Contains("spindle exit 0", r.StdoutText);
        Assert.Contains("second bind: EADDRINUSE", output);
        Assert.Contains("ephemeral port in range: 1", output);
        Assert.Contains("nonblocking receive: EAGAIN", output);
        Assert.Contains("bound to port 5555 len 16", output);
        Assert.Contains("the last from 10.0.2.2", output);
    }

    [Fact]
    public void WithoutANetworkAnInetSocketIsNotSupported()
    {
        string program = CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Net", "programs", "udp_echo.c"));
        var r = SpindleRunner.RunCli(["run", program, "probe"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("socket: EAFNOSUPPORT", r.StdoutText);
    }
}
