using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Services;

/// <summary>
/// The host file system under a root directory. Confinement is the host kernel's: every path is
/// resolved with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) against the root, so ".." stops
/// at the root and absolute symbolic links are resolved inside it. Operations on a name (unlink,
/// mkdir) open its parent that way and act on the last component, which is never "." or "..".
/// </summary>
public sealed unsafe class HostFileSystem : IHostFileSystem, IDisposable
{
    private const ulong Resolve = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS;
    private const int MaxPath = 4096;
    private int _root;

    /// <summary>Opens <paramref name="root"/>; throws <see cref="DirectoryNotFoundException"/> if it is not a directory.</summary>
    public HostFileSystem(string root)
    {
        byte[] path = System.Text.Encoding.UTF8.GetBytes(root + "\0");
        fixed (byte* p = path) _root = Libc.OpenAt2(-100, p, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0, 0);
        if (_root < 0) throw new DirectoryNotFoundException($"{root}: not a directory that can be opened (errno {-_root})");
    }

    public int Open(ReadOnlySpan<byte> path, OpenFlags flags, uint mode, out IHostFile? file)
    {
        file = null;
        int fd = OpenPath(path, HostFlags(flags) | Libc.O_CLOEXEC | Libc.O_NOCTTY, mode);
        if (fd < 0) return fd;
        int r = StatxDecoder.StatDescriptor(fd, out FileStatus st);
        if (r < 0) { Libc.Close(fd); return r; }
        file = new HostFile(fd, (st.Mode & FileStatus.TypeMask) == FileStatus.Directory);
        return 0;
    }

    public int Stat(ReadOnlySpan<byte> path, bool followLinks, out FileStatus status)
    {
        status = default;
        int fd = OpenPath(path, Libc.O_PATH | Libc.O_CLOEXEC | (followLinks ? 0 : Libc.O_NOFOLLOW), 0);
        if (fd < 0) return fd;
        int r = StatxDecoder.StatDescriptor(fd, out status);
        Libc.Close(fd);
        return r;
    }

    public int ReadLink(ReadOnlySpan<byte> path, Span<byte> target)
    {
        int fd = OpenPath(path, Libc.O_PATH | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0);
        if (fd < 0) return fd;
        int r = StatxDecoder.StatDescriptor(fd, out FileStatus st);
        if (r >= 0 && (st.Mode & FileStatus.TypeMask) != 0xa000) r = -Errno.EINVAL; // not a symbolic link
        if (r >= 0)
        {
            byte empty = 0;
            fixed (byte* t = target) r = (int)Libc.ReadLinkAt(fd, &empty, t, (nuint)target.Length);
        }
        Libc.Close(fd);
        return r;
    }

    public int Unlink(ReadOnlySpan<byte> path, bool directory)
    {
        int parent = OpenParent(path, out ReadOnlySpan<byte> name);
        if (parent < 0) return parent;
        int r;
        if (name.IsEmpty || name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
            r = !directory ? -Errno.EISDIR : name.SequenceEqual(".."u8) ? -Errno.ENOTEMPTY : name.IsEmpty ? -Errno.EBUSY : -Errno.EINVAL;
        else r = WithName(name, n => Libc.UnlinkAt(parent, n, directory ? Libc.AT_REMOVEDIR : 0));
        Libc.Close(parent);
        return r;
    }

    public int MakeDirectory(ReadOnlySpan<byte> path, uint mode) => OnName(path, -Errno.EEXIST, (dir, name) => Libc.MkdirAt(dir, name, mode));

    public int Access(ReadOnlySpan<byte> path, int mode, bool followLinks)
    {
        int fd = OpenPath(path, Libc.O_PATH | Libc.O_CLOEXEC | (followLinks ? 0 : Libc.O_NOFOLLOW), 0);
        if (fd < 0) return fd;
        byte empty = 0;
        int r = Libc.FaccessAt2(fd, &empty, mode, Libc.AT_EMPTY_PATH);
        Libc.Close(fd);
        return r;
    }

    public int Rename(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool noReplace) =>
        BetweenNames(from, to, (fromDir, fromName, toDir, toName) => Libc.RenameAt2(fromDir, fromName, toDir, toName, noReplace ? 1u : 0u));

    public int Link(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> path) =>
        BetweenNames(existing, path, (fromDir, fromName, toDir, toName) => Libc.LinkAt(fromDir, fromName, toDir, toName, 0));

    public int MakeSymlink(ReadOnlySpan<byte> target, ReadOnlySpan<byte> path)
    {
        if (target.IsEmpty || target.IndexOf((byte)0) >= 0) return -Errno.ENOENT;
        if (target.Length >= MaxPath) return -Errno.ENAMETOOLONG;
        byte* t = stackalloc byte[target.Length + 1];
        target.CopyTo(new Span<byte>(t, target.Length));
        t[target.Length] = 0;
        return OnName(path, -Errno.EEXIST, (dir, name) => Libc.SymlinkAt(t, dir, name));
    }

    public int MakeNode(ReadOnlySpan<byte> path, uint mode)
    {
        uint type = mode & FileStatus.TypeMask;
        if (type is not (0x1000 or 0x8000)) return -Errno.EPERM; // FIFO and regular only: no host devices
        return OnName(path, -Errno.EEXIST, (dir, name) => Libc.MknodAt(dir, name, mode, 0));
    }

    // Each field on the name within its parent, never through a final symbolic link: the mode after a
    // check that the object is not one (the kernel's fchmodat has no NOFOLLOW), the length through an
    // O_NOFOLLOW open.
    public int SetAttributes(ReadOnlySpan<byte> path, in AttributeChanges changes)
    {
        AttributeChanges c = changes;
        int r = 0;
        if ((c.Valid & AttributeMask.Size) != 0)
        {
            if (c.Size < 0) return -Errno.EINVAL;
            int fd = OpenPath(path, Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC | Libc.O_NOCTTY | Libc.O_NOFOLLOW, 0);
            if (fd < 0) return fd;
            r = Libc.Ftruncate(fd, c.Size);
            Libc.Close(fd);
            if (r < 0) return r;
        }
        if ((c.Valid & AttributeMask.Mode) != 0)
        {
            r = Stat(path, followLinks: false, out FileStatus st);
            if (r < 0) return r;
            if ((st.Mode & FileStatus.TypeMask) == 0xa000) return -Errno.EOPNOTSUPP;
            r = OnName(path, 0, (dir, name) => Libc.FchmodAt(dir, name, c.Mode & 0xfff));
            if (r < 0) return r;
        }
        if ((c.Valid & (AttributeMask.Uid | AttributeMask.Gid)) != 0)
        {
            uint uid = (c.Valid & AttributeMask.Uid) != 0 ? c.Uid : uint.MaxValue, gid = (c.Valid & AttributeMask.Gid) != 0 ? c.Gid : uint.MaxValue;
            r = OnName(path, 0, (dir, name) => Libc.FchownAt(dir, name, uid, gid, Libc.AT_SYMLINK_NOFOLLOW));
            if (r < 0) return r;
        }
        if ((c.Valid & (AttributeMask.AccessTime | AttributeMask.ModifyTime)) != 0)
        {
            long* times = stackalloc long[4];
            SetTime(times, (c.Valid & AttributeMask.AccessTime) != 0, c.AccessNanoseconds);
            SetTime(times + 2, (c.Valid & AttributeMask.ModifyTime) != 0, c.ModifyNanoseconds);
            r = OnName(path, 0, (dir, name) => Libc.UtimensAt(dir, name, times, Libc.AT_SYMLINK_NOFOLLOW));
        }
        return r;
    }

    // A struct timespec of utimensat: the time (nanoseconds since the epoch), or UTIME_OMIT.
    private static void SetTime(long* timespec, bool given, long nanoseconds)
    {
        const long UtimeOmit = (1L << 30) - 2;
        long seconds = Math.DivRem(nanoseconds, 1_000_000_000L, out long rest);
        if (rest < 0) { seconds--; rest += 1_000_000_000L; }
        timespec[0] = given ? seconds : 0;
        timespec[1] = given ? rest : UtimeOmit;
    }

    public int GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = default;
        if (_root < 0) return -Errno.EBADF;
        long* f = stackalloc long[15]; // struct statfs on 64-bit hosts: 15 words
        int r = Libc.Fstatfs(_root, (byte*)f);
        if (r < 0) return r;
        statistics = new FileSystemStatistics
        {
            Type = f[0], BlockSize = f[1], Blocks = (ulong)f[2], FreeBlocks = (ulong)f[3], AvailableBlocks = (ulong)f[4],
            Files = (ulong)f[5], FreeFiles = (ulong)f[6], NameMax = f[8],
        };
        return 0;
    }

    private delegate int NameCall(byte* name);
    private delegate int DirectoryNameCall(int directory, byte* name);
    private delegate int TwoNameCall(int fromDirectory, byte* fromName, int toDirectory, byte* toName);

    // Calls op on path's last component within its parent (opened confined to the root). A last component
    // that is empty, "." or ".." answers dotAnswer; with dotAnswer 0 the directory it names is opened confined
    // (so ".." of the root stays the root) and op acts on "." within it: a host call given ".." itself would
    // resolve it outside the confinement, on the root's host parent.
    private int OnName(ReadOnlySpan<byte> path, int dotAnswer, DirectoryNameCall op)
    {
        int parent = OpenParent(path, out ReadOnlySpan<byte> name);
        if (parent < 0) return parent;
        if (IsDotName(name))
        {
            Libc.Close(parent);
            if (dotAnswer != 0) return dotAnswer;
            parent = OpenPath(path, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (parent < 0) return parent;
            name = "."u8;
        }
        int r = WithName(name, n => op(parent, n));
        Libc.Close(parent);
        return r;
    }

    // Calls op on the last components of two paths within their parents (rename, link); "." and ".." are -EBUSY.
    private int BetweenNames(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, TwoNameCall op)
    {
        int fromDir = OpenParent(from, out ReadOnlySpan<byte> fromName);
        if (fromDir < 0) return fromDir;
        int toDir = OpenParent(to, out ReadOnlySpan<byte> toName), r;
        if (toDir < 0) r = toDir;
        else if (IsDotName(fromName) || IsDotName(toName)) r = -Errno.EBUSY;
        else
        {
            byte[] second = [.. toName, 0];
            r = WithName(fromName, f => { fixed (byte* t = second) return op(fromDir, f, toDir, t); });
        }
        if (toDir >= 0) Libc.Close(toDir);
        Libc.Close(fromDir);
        return r;
    }

    private static bool IsDotName(ReadOnlySpan<byte> name) => name.IsEmpty || name.SequenceEqual("."u8) || name.SequenceEqual(".."u8);

    // openat2 of a root-relative path; returns the host fd or -errno.
    private int OpenPath(ReadOnlySpan<byte> path, int flags, uint mode)
    {
        if (_root < 0) return -Errno.EBADF;
        if (path.IsEmpty) return -Errno.ENOENT;
        if (path.Length >= MaxPath || path.IndexOf((byte)0) >= 0) return -Errno.ENAMETOOLONG;
        byte* p = stackalloc byte[path.Length + 1];
        path.CopyTo(new Span<byte>(p, path.Length));
        p[path.Length] = 0;
        return Libc.OpenAt2(_root, p, flags, mode, Resolve);
    }

    // Opens the directory holding the last component of path (trailing slashes ignored) and
    // returns it with that component; an empty component means path named the root.
    private int OpenParent(ReadOnlySpan<byte> path, out ReadOnlySpan<byte> name)
    {
        int end = path.Length;
        while (end > 0 && path[end - 1] == '/') end--;
        int slash = path[..end].LastIndexOf((byte)'/');
        name = path[(slash + 1)..end];
        ReadOnlySpan<byte> dir = slash <= 0 ? "/"u8 : path[..slash];
        return OpenPath(dir, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
    }

    // Calls op with name as a NUL-terminated string.
    private static int WithName(ReadOnlySpan<byte> name, NameCall op)
    {
        byte* n = stackalloc byte[name.Length + 1];
        name.CopyTo(new Span<byte>(n, name.Length));
        n[name.Length] = 0;
        return op(n);
    }

    private static int HostFlags(OpenFlags f)
    {
        int h = (int)(f & OpenFlags.AccessMask);
        if ((f & OpenFlags.Create) != 0) h |= Libc.O_CREAT;
        if ((f & OpenFlags.Exclusive) != 0) h |= Libc.O_EXCL;
        if ((f & OpenFlags.Truncate) != 0) h |= Libc.O_TRUNC;
        if ((f & OpenFlags.Append) != 0) h |= Libc.O_APPEND;
        if ((f & OpenFlags.Directory) != 0) h |= Libc.O_DIRECTORY;
        if ((f & OpenFlags.NoFollow) != 0) h |= Libc.O_NOFOLLOW;
        if ((f & OpenFlags.NonBlocking) != 0) h |= Libc.O_NONBLOCK;
        if ((f & OpenFlags.Sync) != 0) h |= Libc.O_DSYNC;
        return h;
    }

    public void Dispose()
    {
        if (_root >= 0) { Libc.Close(_root); _root = -1; }
    }
}
