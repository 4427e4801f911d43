using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Net;

/// <summary>
/// Linux's own network stack as Spindle's peer, over a TAP device, all inside a network namespace of the test's
/// own (<c>unshare -rn</c>: nothing leaves it). The namespace gets tap0 at 10.0.2.2/24; <c>spindle run --net
/// tap:tap0 --ip 10.0.2.15/24</c> runs a sleeping program there while the protocol stack, loaded as extensions,
/// answers: Linux's <c>ping -c 3</c> gets three replies and a datagram python3 sends to the in-kernel UDP echo
/// (port 7) comes back from port 7.
/// </summary>
public sealed class LinuxPeerTests
{
    // After TapNamespace's prelude (tap0, spindle started and answering ping).
    private const string Script = """
        ping -c 3 -W 5 10.0.2.15
        python3 - <<'PY'
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(3)
        for attempt in range(10):
            s.sendto(b"hello spindle over udp", ("10.0.2.15", 7))
            try:
                data, (host, port) = s.recvfrom(2048)
                print("udp echo:", data.decode(), host, port)
                break
            except socket.timeout:
                pass
        PY
        kill $SP
        """;

    [Fact]
    public void LinuxPingsSpindleAndItsUdpEchoAnswers()
    {
        var (r, _, why) = TapNamespace.Run(Script, TimeSpan.FromMinutes(6));
        Assert.False(r.TimedOut, why);
        Assert.Contains("3 packets transmitted, 3 received", r.StdoutText);
        Assert.Contains("udp echo: hello spindle over udp 10.0.2.15 7", r.StdoutText);
    }

    [Fact]
    public void BadNetworkOptionsAreRefusedBeforeAnythingRuns()
    {
        string program = CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Net", "programs", "sleeper.c"));
        var r = SpindleRunner.RunCli(["run", "--net", "tap:tap0", "--ip", "10.0.2.300/24", program, "0"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("expected ADDRESS/PREFIX", r.Stderr);
        r = SpindleRunner.RunCli(["run", "--net", "wire", program, "0"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("expected tap:NAME", r.Stderr);
        r = SpindleRunner.RunCli(["run", "--ip", "10.0.2.15/24", program, "0"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("need --net", r.Stderr);
    }
}
