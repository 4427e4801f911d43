using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Net;
using Spindle.Sdk.Time;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Http;

/// <summary>
/// The in-kernel web server (SPIN's httpd): HTTP/1.1 GET and HEAD on TCP port 80 (<see cref="Port"/>), files from the
/// first disk (<c>/dev/vda</c>) mounted read-only as ext2 by the server itself, small files answered from its own
/// cache (<see cref="FileCache"/>). One handler on Tcp's ReadinessChanged moves the listener (accept) and each
/// connection (<see cref="HttpConnection.Pump"/>) on; nothing blocks and no strand is made.
/// <para>At most <see cref="MaxConnections"/> connections are kept: a new one closes the least recently active,
/// so a crowd of slow or silent clients cannot keep others out.</para>
/// <para>Limitations: the port and the disk are fixed (extensions take no arguments yet); a cached answer is copied
/// into TCP's send buffer (ITcp has no send-by-reference); the buffer cache is not told to drop the blocks of files
/// the server caches; unloading the extension leaves its listener open until the stack goes.</para>
/// </summary>
public sealed class HttpServer : IExtension
{
    /// <summary>The port served.</summary>
    public const ushort Port = 80;

    /// <summary>The disk holding the document root (the buffer cache's device number: 0 is /dev/vda).</summary>
    public const int Device = 0;

    /// <summary>The most connections kept at once.</summary>
    public const int MaxConnections = 256;

    private const int Backlog = 128;

    private readonly Dictionary<int, HttpConnection> _connections = new();
    private ITcpListener _listener = null!;
    private HttpSite _site = null!;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        var tcp = context.Import<ITcp>();
        var mount = context.Import<IFileSystemTypes>().Mount.Raise(new MountRequest("ext2", Device, ReadOnly: true));
        if (mount.FileSystem == null)
            throw new InvalidOperationException($"httpd: the document root (disk {Device}) does not mount: {mount.Reason ?? "error " + mount.Error}");
        context.TryImport<IClock>(out var clock);
        _site = new HttpSite(new DocumentRoot(mount.FileSystem), new FileCache(), clock);
        int r = tcp.Listen(new TcpEndpoint(0, Port), Backlog, out var listener);
        if (r < 0) throw new InvalidOperationException($"httpd: cannot listen on port {Port}: error {-r}");
        _listener = listener!;
        context.Dispatcher.Install(tcp.ReadinessChanged, Changed);
    }

    private bool Changed(TcpReadinessChange change)
    {
        if (ReferenceEquals(change.Socket, _listener))
        {
            Accept();
            return true;
        }
        if (!_connections.TryGetValue(change.Socket.Id, out var connection) || !ReferenceEquals(connection.Socket, change.Socket)) return false;
        Run(connection);
        return true;
    }

    private void Accept()
    {
        while (_listener.Accept(out var socket) == 0)
        {
            if (_connections.Count >= MaxConnections) CloseIdlest();
            var connection = new HttpConnection(socket!, _site);
            _connections[socket!.Id] = connection;
            Run(connection);
        }
    }

    private void Run(HttpConnection connection)
    {
        connection.Pump();
        if (connection.Closed) _connections.Remove(connection.Socket.Id);
    }

    // Closes the connection that made progress longest ago (a linear scan over at most MaxConnections).
    private void CloseIdlest()
    {
        HttpConnection? idlest = null;
        foreach (var c in _connections.Values)
            if (idlest == null || c.LastActive < idlest.LastActive) idlest = c;
        if (idlest == null) return;
        idlest.Close();
        _connections.Remove(idlest.Socket.Id);
    }
}
