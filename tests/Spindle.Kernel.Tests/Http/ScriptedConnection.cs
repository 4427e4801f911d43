using Spindle.Sdk.Io;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Tests.Http;

/// <summary>
/// A TCP connection played by the test: bytes the client "sent" wait in <see cref="Incoming"/>; what the server sends
/// is kept in <see cref="Sent"/>, at most <see cref="SendWindow"/> bytes per call, and every other call answers -EAGAIN
/// when <see cref="Choppy"/> (a slow reader), so the server's partial-send paths run.
/// </summary>
internal sealed class ScriptedConnection(int id) : ITcpConnection
{
    private bool _refuseNext;

    public Queue<byte> Incoming { get; } = new();
    public MemoryStream Sent { get; } = new();
    public bool ClientClosed { get; set; }
    public int SendWindow { get; set; } = int.MaxValue;
    public bool Choppy { get; set; }
    public bool IsClosed { get; private set; }

    public void Write(string text) { foreach (byte b in System.Text.Encoding.Latin1.GetBytes(text)) Incoming.Enqueue(b); }

    public int Id { get; } = id;
    public TcpEndpoint Local => new(0x0a00020f, 80);
    public TcpEndpoint Remote => new(0x0a000202, 40000);
    public TcpState State => IsClosed ? TcpState.Closed : TcpState.Established;
    public TcpReadiness Readiness => TcpReadiness.Writable | (Incoming.Count > 0 ? TcpReadiness.Readable : 0);
    public int Available => Incoming.Count;
    public int TakeError() => 0;
    public int SetOption(TcpOption option, int value) => 0;
    public int GetOption(TcpOption option) => 0;
    public void Close() => IsClosed = true;
    public void Abort() => IsClosed = true;
    public int Shutdown(bool read, bool write) => 0;

    public int Send(ReadOnlySpan<byte> data)
    {
        Assert.False(IsClosed, "send after close");
        if (Choppy && (_refuseNext = !_refuseNext)) return -Errno.EAGAIN;
        int n = Math.Min(data.Length, SendWindow);
        Sent.Write(data[..n]);
        return n;
    }

    public int Receive(Span<byte> destination, bool peek = false)
    {
        Assert.False(IsClosed, "receive after close");
        if (Incoming.Count == 0) return ClientClosed ? 0 : -Errno.EAGAIN;
        int n = 0;
        while (n < destination.Length && Incoming.Count > 0) destination[n++] = Incoming.Dequeue();
        return n;
    }
}
