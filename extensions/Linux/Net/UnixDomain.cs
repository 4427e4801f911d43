using System;
using System.Collections.Generic;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Strand;

namespace Spindle.Extensions.Linux.Net;

/// <summary>
/// The AF_UNIX name space and wait queues of one personality. <see cref="Names"/> maps a bound name to its
/// socket; a path name whose socket closed keeps a null entry, as Linux keeps the socket file: bind answers
/// EADDRINUSE and connect ECONNREFUSED until unlink removes it (<see cref="Unlinked"/>). Abstract names go with
/// their socket. Listening, connecting and datagram waits share <see cref="Queue"/>; a connected stream's data
/// flows through two pipes sharing a queue of their own. Every change wakes the pollers.
/// Limitations: a path name is not a node in the file system (stat and ls do not see it; unlink of the path is
/// the one call that knows it); datagram and listener waits share one queue.
/// </summary>
internal sealed class UnixDomain(IWaitQueue queue, IWaitQueue? pollers, Func<string, IWaitQueue?> newQueue)
{
    private ulong _inodes;
    private int _autobind;

    /// <summary>Bound names: the socket, or null for a path whose socket closed.</summary>
    public Dictionary<string, UnixSocket?> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Where listeners, connectors blocked on a full backlog, and datagram sockets wait.</summary>
    public IWaitQueue Queue => queue;

    /// <summary>The queue poll, select and epoll wait on.</summary>
    public IWaitQueue? Pollers => pollers;

    /// <summary>Wakes everyone who waits on a unix socket's state.</summary>
    public void Changed()
    {
        queue.WakeAll();
        pollers?.WakeAll();
    }

    /// <summary>Two pipes (one per direction) sharing a new queue for a stream connection; null without queues.</summary>
    public (Pipe, Pipe)? NewConnection()
    {
        IWaitQueue? q = newQueue("unix-stream");
        if (q == null) return null;
        return (new Pipe(q, pollers, ++_inodes), new Pipe(q, pollers, ++_inodes));
    }

    /// <summary>The table key of an abstract name ("@" and its bytes) for a socket of <paramref name="type"/>: each type has its own abstract names.</summary>
    public static string AbstractKey(int type, string name) => type + name;

    /// <summary>A fresh abstract name for autobind (a NUL and five hex digits, as Linux) and its key.</summary>
    public (string Key, byte[] Name) Autobind(int type)
    {
        while (true)
        {
            string hex = (++_autobind & 0xfffff).ToString("x5");
            string key = AbstractKey(type, "@" + hex);
            if (Names.ContainsKey(key)) continue;
            var name = new byte[6];
            for (int i = 0; i < 5; i++) name[i + 1] = (byte)hex[i];
            return (key, name);
        }
    }

    /// <summary>unlink of a path the file system did not know: true if it was a socket name here (now gone).</summary>
    public bool Unlinked(string key)
    {
        // A live socket keeps its address (getsockname still reports it); only connecting by the path ends.
        return Names.Remove(key);
    }
}
