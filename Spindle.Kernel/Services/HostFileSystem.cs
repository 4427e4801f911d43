using Spindle.Sdk.Io;

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

    public int MakeDirectory(ReadOnlySpan<byte> path, uint mode)
    {
        int parent = OpenParent(path, out ReadOnlySpan<byte> name);
        if (parent < 0) return parent;
        int r = name.IsEmpty || name.SequenceEqual("."u8) || name.SequenceEqual(".."u8)
            ? -Errno.EEXIST
            : WithName(name, n => Libc.MkdirAt(parent, n, mode));
        Libc.Close(parent);
        return r;
    }

    public int Access(ReadOnlySpan<byte> path, int mode, bool followLinks)
    {
        int fd = OpenPath(path, Libc.O_PATH | Libc.O_CLOEXEC | (followLinks ? 0 : Libc.O_NOFOLLOW), 0);
        if (fd < 0) return fd;
        byte empty = 0;
        int r = Libc.FaccessAt2(fd, &empty, mode, Libc.AT_EMPTY_PATH);
        Libc.Close(fd);
        return r;
    }

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

    private delegate int NameCall(byte* name);

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
