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
    // $1 dotnet, $2 spindle.dll, $3 the sleeping program, $4 where spindle's output goes.
    private const string Script = """
        set -u
        ip link set lo up
        ip tuntap add dev tap0 mode tap
        ip addr add 10.0.2.2/24 dev tap0
        ip link set tap0 up
        "$1" "$2" run --net tap:tap0 --ip 10.0.2.15/24 "$3" 300 > "$4" 2>&1 &
        SP=$!
        i=0
        until ping -c 1 -W 1 10.0.2.15 > /dev/null 2>&1; do
          i=$((i + 1))
          if [ $i -ge 180 ] || ! kill -0 $SP 2> /dev/null; then echo "spindle never answered ping"; kill $SP 2> /dev/null; exit 1; fi
        done
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
        string unshare = Tools.Require("unshare", "util-linux");
        Tools.Require("ip", "iproute2");
        Tools.Require("ping", "iputils-ping");
        Tools.Require("python3", "python3-minimal");
        string program = CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Net", "programs", "sleeper.c"));
        string log = Path.Combine(Path.GetTempPath(), $"spindle-net-{Guid.NewGuid():N}.log");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host : Tools.Require("dotnet", "the .NET SDK");
        try
        {
            var r = ProcessRunner.Run(unshare, ["-rn", "sh", "-c", Script, "sh", dotnet, SpindleRunner.Dll, program, log], [], null, TimeSpan.FromMinutes(6));
            string why = $"{r.Describe("unshare")}\nspindle: {(File.Exists(log) ? File.ReadAllText(log) : "(no output)")}";
            Assert.False(r.TimedOut, why);
            Assert.Contains("3 packets transmitted, 3 received", r.StdoutText);
            Assert.Contains("udp echo: hello spindle over udp 10.0.2.15 7", r.StdoutText);
        }
        finally { File.Delete(log); }
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
