using System;
using System.Collections.Generic;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux;

// The personality's file-layer state: the name space and the wait queues for pipes and poll. (A partial of LinuxPersonality kept in Files/.)
public sealed partial class LinuxPersonality
{
    private Vfs? _vfs;
    private Func<string, IWaitQueue>? _createQueue;
    private IWaitQueue? _pollers;
    private ConsoleLine? _consoleLine;
    private ulong _pipeInodes;

    /// <summary>
    /// Makes <paramref name="root"/> the root of the name space (`spindle boot`), with the devices
    /// mounted on /dev. Without a call, the root is the host file system of the services (`spindle run --root`).
    /// Call it before the first process runs: working directories already resolved keep the old root.
    /// </summary>
    public void UseRoot(IFileSystem root) => _vfs = WithDevices(root.Root);

    /// <summary>
    /// Mounts <paramref name="fs"/> on <paramref name="path"/> (absolute; its parent directory must exist,
    /// the name itself need not): the mount table is the personality's, the file system sees only its own
    /// names. Returns 0, or -ENOENT / -ENOTDIR / -EBUSY as mount(2). Mount after <see cref="UseRoot"/>,
    /// which starts a new name space.
    /// </summary>
    public int Mount(ReadOnlySpan<byte> path, IFileSystem fs) => Vfs.Mount(path, fs.Root);

    /// <summary>
    /// Makes the directory <paramref name="path"/> (absolute, in the name space) the library prefix, as qemu-user's
    /// <c>-L</c>: an absolute path a program opens, stats, reads as a link or execs (and the interpreter it names) that
    /// exists under the prefix is that file, any other resolves as usual (<see cref="Files.Vfs.Lookup"/>). Returns 0, or
    /// -ENOENT / -ENOTDIR. Call it after <see cref="UseRoot"/> and the mounts.
    /// </summary>
    public int UseLibraryPrefix(ReadOnlySpan<byte> path)
    {
        Vfs.Prefix = null;
        int r = Vfs.Resolve(Vfs.Root, path, followFinal: true, out Location? at);
        if (r < 0) return r;
        if (!at!.Node.IsDirectory) return -Errno.ENOTDIR;
        Vfs.Prefix = at;
        return 0;
    }

    /// <summary>
    /// Gives the file layer its wait queues, where pipes and ppoll block. Without a call they come
    /// from the Strand service given to <see cref="Attach"/>; with neither, pipe2 and a ppoll that
    /// would wait answer -ENOSYS.
    /// </summary>
    public void UseWaitQueues(Func<string, IWaitQueue> createQueue) => _createQueue = createQueue;

    // A new wait queue, or null if the personality has no source of them.
    private IWaitQueue? NewQueue(string name) => _createQueue != null ? _createQueue(name) : _strands?.CreateWaitQueue(name);

    // The queue every blocked ppoll waits on; pipes wake it on any change.
    private IWaitQueue? Pollers => _pollers ??= NewQueue("poll");

    // The console shared by descriptors 0-2 and /dev/tty: its readers and the pollers wake on input.
    private ConsoleLine Console => _consoleLine ??= new ConsoleLine(_console, NewQueue, () => Pollers);

    /// <summary>
    /// Reads the whole regular file <paramref name="path"/> (resolved from <paramref name="process"/>'s
    /// working directory) for execve: -EACCES unless it is executable, -EISDIR / -ENOENT... as open.
    /// </summary>
    public int ReadExecutable(LinuxProcess process, ReadOnlySpan<byte> path, out byte[]? image)
    {
        image = null;
        int r = Vfs.Lookup(Cwd(process), path, followFinal: true, out Location? at);
        if (r < 0) return r;
        if (at!.Node.IsDirectory) return -Errno.EACCES;
        if (at.Node.Type != FileType.Regular) return -Errno.EACCES;
        r = at.Node.Access(1);
        if (r < 0) return r;
        r = Vfs.OpenNode(at, 0, out FileDescription? file);
        if (r < 0) return r;
        try
        {
            r = file!.Stat(out FileStatus st);
            if (r < 0) return r;
            if (st.Size > MemoryFs.MaxFileSize) return -Errno.EFBIG;
            var content = new byte[st.Size];
            long done = 0, n;
            while (done < content.Length && (n = file.ReadAt(content.AsSpan((int)done), done)) > 0) done += n;
            if (done < content.Length) return -Errno.EIO;
            image = content;
            return 0;
        }
        finally { file!.Release(); }
    }

    /// <summary>The name space (the host root with /dev until <see cref="UseRoot"/>).</summary>
    private Vfs Vfs => _vfs ??= WithDevices(HostRoot());

    private Vnode HostRoot() => HostFs.Open(_fs, out HostFs? root) == 0 ? root!.Root : new MemoryFs(_clock).Root;

    // A name space over root with devfs on /dev and procfs on /proc.
    private Vfs WithDevices(Vnode root)
    {
        var vfs = new Vfs(root, new CharacterDevices(() => Console, _entropy));
        vfs.Mount("/dev"u8, new DevFs().Root);
        vfs.Mount("/proc"u8, ProcFileSystem().Root);
        return vfs;
    }

    // The process's working directory, resolved from its initial path on first use. An initial
    // path that does not name a directory resolves from the root (and getcwd still reports it).
    private Location Cwd(LinuxProcess p)
    {
        if (p.Files.Cwd != null) return p.Files.Cwd;
        bool found = Vfs.Resolve(Vfs.Root, p.Cwd, followFinal: true, out Location? at) == 0 && at!.Node.IsDirectory;
        if (!found) return Vfs.Root;
        return p.Files.Cwd = at!;
    }

    // getcwd's answer: the resolved working directory's path, or the initial path if it never resolved.
    private byte[] CwdPath(LinuxProcess p) => Cwd(p) == p.Files.Cwd ? p.Files.Cwd.Path() : p.Cwd;

    // A read or write of f would block: -EAGAIN for O_NONBLOCK, else the strand blocks on f's queue.
    private static long WouldBlock(IUserStrand s, FileDescription f) =>
        f.NonBlocking || f.WaitQueue == null ? -Errno.EAGAIN : Block(s, f.WaitQueue, -1);

    // Blocks s on queue until woken or deadlineNs (>= 0, absolute); the call restarts then. A
    // pending signal answers -EINTR instead. The returned value is not seen by the program.
    private static long Block(IUserStrand s, IWaitQueue queue, long deadlineNs)
    {
        if (s.SignalPending) return -Errno.EINTR;
        s.Block(queue, deadlineNs);
        return 0; // a0 is restored for the restart: the program never sees this value
    }
}
