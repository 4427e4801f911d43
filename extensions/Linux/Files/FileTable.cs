using System;
using System.Collections.Generic;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// A process's file descriptor table (Linux files_struct) and working directory (fs_struct):
/// descriptors map to shared <see cref="FileDescription"/>s, each with its close-on-exec flag.
/// Threads share one table (<see cref="Share"/>); fork copies it (<see cref="Clone"/>); execve
/// closes the close-on-exec descriptors (<see cref="CloseOnExec"/>). Operations return a descriptor
/// or 0, or a negated errno.
/// </summary>
internal sealed class FileTable
{
    /// <summary>Descriptors a table holds (the hard RLIMIT_NOFILE).</summary>
    public const int Capacity = 1024;

    private readonly FileDescription?[] _files = new FileDescription?[Capacity];
    private readonly bool[] _closeOnExec = new bool[Capacity];
    private int _users = 1;

    /// <summary>Descriptors a table holds (= <see cref="Capacity"/>).</summary>
    public int Length => Capacity;

    /// <summary>Where this table's POSIX record locks are kept (released as it closes descriptors); null: none.</summary>
    internal FileLocks? Locks { get; set; }

    /// <summary>The working directory; null until the personality first resolves it.</summary>
    internal Location? Cwd { get; set; }

    /// <summary>The description behind <paramref name="fd"/>, or null if it is not open.</summary>
    internal FileDescription? Get(long fd) => (ulong)fd < Capacity ? _files[fd] : null;

    /// <summary>Installs <paramref name="file"/> (taking over its reference) at the lowest free descriptor in [lowest, limit); -EMFILE if none.</summary>
    internal int Install(FileDescription file, bool closeOnExec, int limit, int lowest = 0)
    {
        limit = Math.Min(limit, Capacity);
        for (int fd = Math.Max(lowest, 0); fd < limit; fd++)
            if (_files[fd] == null)
            {
                _files[fd] = file;
                _closeOnExec[fd] = closeOnExec;
                return fd;
            }
        return -Errno.EMFILE;
    }

    /// <summary>dup / F_DUPFD: a new descriptor (at least <paramref name="lowest"/>) for what <paramref name="fd"/> refers to.</summary>
    internal int Duplicate(int fd, bool closeOnExec, int limit, int lowest = 0)
    {
        FileDescription? f = Get(fd);
        if (f == null) return -Errno.EBADF;
        if (lowest < 0 || lowest >= limit) return -Errno.EINVAL;
        int r = Install(f, closeOnExec, limit, lowest);
        if (r >= 0) f.Retain();
        return r;
    }

    /// <summary>dup3: makes <paramref name="newFd"/> refer to what <paramref name="oldFd"/> does, closing what it referred to.</summary>
    internal int DuplicateTo(int oldFd, int newFd, bool closeOnExec, int limit)
    {
        FileDescription? f = Get(oldFd);
        if (f == null) return -Errno.EBADF;
        if ((uint)newFd >= (uint)Math.Min(limit, Capacity)) return -Errno.EBADF;
        f.Retain();
        FileDescription? old = _files[newFd];
        _files[newFd] = f;
        _closeOnExec[newFd] = closeOnExec;
        if (old != null) Forget(old);
        return newFd;
    }

    /// <summary>close: -EBADF if <paramref name="fd"/> is not open.</summary>
    internal int Close(long fd)
    {
        FileDescription? f = Get(fd);
        if (f == null) return -Errno.EBADF;
        _files[fd] = null;
        Forget(f);
        return 0;
    }

    // A descriptor of f went: this table's record locks on its object go (POSIX), then the reference.
    private void Forget(FileDescription f)
    {
        Locks?.ReleaseTable(this, f);
        f.Release();
    }

    /// <summary>F_GETFD: FD_CLOEXEC or 0; -EBADF if not open.</summary>
    internal int GetDescriptorFlags(int fd) => Get(fd) == null ? -Errno.EBADF : _closeOnExec[fd] ? FileAbi.FD_CLOEXEC : 0;

    /// <summary>F_SETFD.</summary>
    internal int SetDescriptorFlags(int fd, int flags)
    {
        if (Get(fd) == null) return -Errno.EBADF;
        _closeOnExec[fd] = (flags & FileAbi.FD_CLOEXEC) != 0;
        return 0;
    }

    /// <summary>fork: a table of the same descriptors (sharing their descriptions and offsets) and working directory.</summary>
    public FileTable Clone()
    {
        var copy = new FileTable { Cwd = Cwd, Locks = Locks };
        for (int fd = 0; fd < Capacity; fd++)
        {
            FileDescription? f = _files[fd];
            if (f == null) continue;
            f.Retain();
            copy._files[fd] = f;
            copy._closeOnExec[fd] = _closeOnExec[fd];
        }
        return copy;
    }

    /// <summary>clone(CLONE_FILES): one more user of this same table; each user calls <see cref="Drop"/> when it exits.</summary>
    public FileTable Share()
    {
        _users++;
        return this;
    }

    /// <summary>A user of the table exits; the last one closes every descriptor.</summary>
    public void Drop()
    {
        if (--_users == 0) CloseAll();
    }

    /// <summary>execve: closes every descriptor marked close-on-exec.</summary>
    public void CloseOnExec()
    {
        for (int fd = 0; fd < Capacity; fd++)
            if (_closeOnExec[fd] && _files[fd] != null) Close(fd);
    }

    /// <summary>The open descriptions, one per open descriptor (foreach).</summary>
    public IEnumerator<FileDescription> GetEnumerator()
    {
        foreach (FileDescription? f in _files)
            if (f != null) yield return f;
    }

    /// <summary>Closes every descriptor.</summary>
    public void CloseAll()
    {
        for (int fd = 0; fd < Capacity; fd++)
            if (_files[fd] != null) Close(fd);
    }
}
