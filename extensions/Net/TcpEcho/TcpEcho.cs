using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>
/// The in-kernel TCP echo (RFC 862, port 7) and discard sink (RFC 863, port 9): two listeners on the Tcp
/// extension and one handler on its ReadinessChanged event, so they run only when a socket of theirs can make
/// progress; nothing blocks and no strand is used. The echo peeks at what arrived, sends what the send ring
/// takes and consumes only that, so a slow reader slows the writer (TCP's flow control end to end) and no byte
/// is lost or buffered twice; the sink reads and drops. Each closes its side when the peer has closed and
/// everything is echoed. Contract: runs on the CPU's thread, from the Tcp extension's raise.
/// </summary>
public sealed class TcpEcho : IExtension
{
    /// <summary>The ports served.</summary>
    public const ushort EchoPort = 7, DiscardPort = 9;

    private const int Backlog = 64;
    private readonly byte[] _buffer = new byte[16 << 10];
    private readonly Dictionary<ITcpSocket, bool> _echoing = new();   // connection -> true for echo, false for discard
    private ITcpListener? _echo, _discard;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        var tcp = context.Import<ITcp>();
        if (tcp.Listen(new TcpEndpoint(0, EchoPort), Backlog, out _echo) != 0 || tcp.Listen(new TcpEndpoint(0, DiscardPort), Backlog, out _discard) != 0)
            throw new InvalidOperationException("tcp echo: ports 7 and 9 are taken");
        context.Dispatcher.Install(tcp.ReadinessChanged, Ready);
    }

    private bool Ready(TcpReadinessChange change)
    {
        var socket = change.Socket;
        if (ReferenceEquals(socket, _echo) || ReferenceEquals(socket, _discard)) AcceptAll((ITcpListener)socket, ReferenceEquals(socket, _echo));
        else if (_echoing.TryGetValue(socket, out bool echo)) Serve((ITcpConnection)socket, echo);
        else return false;
        return true;
    }

    private void AcceptAll(ITcpListener listener, bool echo)
    {
        while (listener.Accept(out var c) == 0)
        {
            _echoing[c!] = echo;
            Serve(c!, echo);
        }
    }

    // Moves what can move now; closes the connection once the peer's stream has ended (and all of it was echoed) or it failed.
    private void Serve(ITcpConnection c, bool echo)
    {
        while (true)
        {
            int n = c.Receive(_buffer, peek: echo);
            if (n == -Errno.EAGAIN) return;
            if (n <= 0) break;
            if (!echo) continue;
            int sent = c.Send(_buffer.AsSpan(0, n));
            if (sent == -Errno.EAGAIN) return;                // wait for Writable
            if (sent < 0) break;
            c.Receive(_buffer.AsSpan(0, sent));
        }
        _echoing.Remove(c);
        c.Close();
    }
}
