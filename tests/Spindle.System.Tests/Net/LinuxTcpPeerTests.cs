using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Net;

/// <summary>
/// Linux's TCP as the peer of Spindle's, over a TAP device inside a network namespace of the test's own
/// (<c>unshare -rn</c>: tap0 at 10.0.2.2/24, Spindle at 10.0.2.15; nothing leaves it). python3's sockets
/// send 2 MB to the in-kernel echo (port 7) and read them back byte-identical (sha256) while sending; send
/// 1 MB to the discard sink (port 9), close, and see the sink close in turn; are refused by a reset on a closed
/// port; and reset a connection of their own (SO_LINGER 0), after which the echo serves a new one.
/// </summary>
public sealed class LinuxTcpPeerTests
{
    // After TapNamespace's prelude (tap0, spindle started and answering ping).
    private const string Script = """
        python3 - <<'PY'
        import hashlib, os, socket, struct, threading
        HOST = "10.0.2.15"

        def connect(port):
            s = socket.create_connection((HOST, port), timeout=60)
            s.settimeout(60)
            return s

        # The echo: a sender thread, and this thread reading everything back.
        data = os.urandom(2 << 20)
        s = connect(7)
        t = threading.Thread(target=lambda: s.sendall(data))
        t.start()
        h, got = hashlib.sha256(), 0
        while got < len(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            h.update(chunk)
            got += len(chunk)
        t.join()
        print("echo", got, "identical" if h.digest() == hashlib.sha256(data).digest() else "DIFFERENT")
        s.shutdown(socket.SHUT_WR)
        print("echo end after close:", s.recv(1) == b"")
        s.close()

        # The sink: 1 MB, then our FIN; the sink closes its side, which recv sees as the end.
        s = connect(9)
        s.sendall(os.urandom(1 << 20))
        s.shutdown(socket.SHUT_WR)
        print("sink closed too:", s.recv(1) == b"")
        s.close()

        # A closed port answers with a reset.
        try:
            connect(5555)
            print("closed port: connected?!")
        except ConnectionRefusedError:
            print("closed port: refused")

        # Linux resets a connection (linger 0); the echo still serves a new one.
        s = connect(7)
        s.sendall(b"about to reset")
        s.recv(64)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
        s = connect(7)
        s.sendall(b"after the reset")
        print("after reset:", s.recv(64).decode())
        s.close()
        PY
        kill $SP
        """;

    [Fact]
    public void LinuxMovesMegabytesThroughTheKernelEchoAndSinkAndSeesClosesAndResets()
    {
        var (r, _, why) = TapNamespace.Run(Script, TimeSpan.FromMinutes(8));
        Assert.False(r.TimedOut, why);
        Assert.Contains($"echo {2 << 20} identical", r.StdoutText);
        Assert.Contains("echo end after close: True", r.StdoutText);
        Assert.Contains("sink closed too: True", r.StdoutText);
        Assert.Contains("closed port: refused", r.StdoutText);
        Assert.Contains("after reset: after the reset", r.StdoutText);
    }
}
