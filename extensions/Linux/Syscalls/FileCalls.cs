using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// File system calls: descriptors, paths, stat, directories, on the VFS (Files/). Calls that wait
// (pipes, ppoll) use the restart contract: Block in Files/PersonalityFiles.cs blocks the strand and the call runs again.
public sealed partial class LinuxPersonality
{
    // A second path buffer for the calls that take two (renameat2, symlinkat).
    private readonly byte[] _pathIn2 = new byte[LinuxAbi.PathMax - 1];

    // read/pread64: moves up to count bytes from fd into user memory at buf (at offset if >= 0).
    // Returns bytes moved; an error only if nothing moved. A short read ends the call; a read that
    // would block before anything moved blocks (or -EAGAIN with O_NONBLOCK).
    private long Read(IUserStrand s, LinuxProcess p, uint fd, ulong buf, ulong count, long offset)
    {
        FileDescription? f = p.Get(fd);
        if (f == null || !f.CanRead) return -Errno.EBADF;
        long remaining = (long)Math.Min(count, (ulong)LinuxAbi.MaxIoCount), done = 0;
        do
        {
            Span<byte> chunk = _scratch.AsSpan(0, (int)Math.Min(remaining, _scratch.Length));
            // Check the destination before taking data: a failed copy-out must not consume it.
            if (!s.Memory.IsWritable(buf + (ulong)done, (ulong)chunk.Length)) return done > 0 ? done : -Errno.EFAULT;
            long n = offset < 0 ? f.Read(chunk) : f.ReadAt(chunk, offset + done);
            if (n == -Errno.EAGAIN && done == 0) return WouldBlock(s, f);
            if (n < 0) return done > 0 ? done : n;
            if (n > 0 && !s.Memory.CopyOut(buf + (ulong)done, chunk[..(int)n])) return done > 0 ? done : -Errno.EFAULT;
            done += n;
            remaining -= n;
            if (n < chunk.Length) break;
        } while (remaining > 0);
        return done;
    }

    // write/pwrite64: moves up to count bytes from user memory at buf to fd (at offset if >= 0).
    private long Write(IUserStrand s, LinuxProcess p, uint fd, ulong buf, ulong count, long offset)
    {
        FileDescription? f = p.Get(fd);
        if (f == null || !f.CanWrite) return -Errno.EBADF;
        long remaining = (long)Math.Min(count, (ulong)LinuxAbi.MaxIoCount), done = 0;
        do
        {
            Span<byte> chunk = _scratch.AsSpan(0, (int)Math.Min(remaining, _scratch.Length));
            if (!s.Memory.CopyIn(buf + (ulong)done, chunk)) return done > 0 ? done : -Errno.EFAULT;
            long n = offset < 0 ? f.Write(chunk) : f.WriteAt(chunk, offset + done);
            if (n == -Errno.EAGAIN && done == 0) return WouldBlock(s, f);
            if (n == -Errno.EPIPE) RaiseSignal(s, LinuxAbi.SIGPIPE); // and the write answers -EPIPE, as Linux
            if (n < 0) return done > 0 ? done : n;
            done += n;
            remaining -= n;
            if (n < chunk.Length) break;
        } while (remaining > 0);
        return done;
    }

    // readv/writev: each struct iovec {base, len} in turn; stops at the first short transfer.
    private long Vector(IUserStrand s, LinuxProcess p, uint fd, ulong iov, ulong count, bool write)
    {
        if (p.Get(fd) == null) return -Errno.EBADF;
        if (count > LinuxAbi.IovMax) return -Errno.EINVAL;
        Span<byte> entry = stackalloc byte[16];
        long total = 0;
        for (ulong i = 0; i < count; i++)
        {
            if (!s.Memory.CopyIn(iov + 16 * i, entry)) return total > 0 ? total : -Errno.EFAULT;
            ulong b = BinaryPrimitives.ReadUInt64LittleEndian(entry), len = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
            if ((long)len < 0) return -Errno.EINVAL;
            if (len == 0) continue;
            long n = write ? Write(s, p, fd, b, len, -1) : Read(s, p, fd, b, len, -1);
            if (n < 0) return total > 0 ? total : n;
            total += n;
            if ((ulong)n < len || total >= LinuxAbi.MaxIoCount) break;
        }
        return total;
    }

    private static long Close(LinuxProcess p, uint fd) => p.Files.Close(fd);

    private static long Seek(LinuxProcess p, uint fd, long offset, uint whence)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        if (whence > (uint)SeekWhence.End) return -Errno.EINVAL;
        return f.Seek(offset, (SeekWhence)whence);
    }

    private long OpenAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, int flags, uint mode)
    {
        if ((flags & ~LinuxAbi.OpenFlagsKnown) != 0 || (flags & LinuxAbi.O_ACCMODE) == LinuxAbi.O_ACCMODE) return -Errno.EINVAL;
        if ((flags & (LinuxAbi.O_PATH | (LinuxAbi.O_TMPFILE & ~LinuxAbi.O_DIRECTORY))) != 0) return -Errno.EOPNOTSUPP;
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start);
        if (len < 0) return len;
        int r = Vfs.Open(start!, _pathIn.AsSpan(0, len), flags, mode & ~p.Umask, out FileDescription? file, Creator(p));
        if (r < 0) return r;
        file!.StatusFlags = flags & (LinuxAbi.O_ACCMODE | LinuxAbi.O_APPEND | LinuxAbi.O_NONBLOCK | LinuxAbi.O_DSYNC | LinuxAbi.O_DIRECTORY | LinuxAbi.O_NOATIME | LinuxAbi.O_LARGEFILE);
        int fd = p.Install(file, closeOnExec: (flags & LinuxAbi.O_CLOEXEC) != 0);
        if (fd < 0) file.Release();
        return fd;
    }

    private static Vfs.Creator Creator(LinuxProcess p) => new(p.Identity.Uid, p.Identity.Gid);

    private long StatAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, ulong statVa, int flags)
    {
        if ((flags & ~(LinuxAbi.AT_SYMLINK_NOFOLLOW | LinuxAbi.AT_EMPTY_PATH | LinuxAbi.AT_NO_AUTOMOUNT)) != 0) return -Errno.EINVAL;
        int r = StatusAt(s, p, dirfd, pathVa, flags, out FileStatus st);
        return r < 0 ? r : CopyOutStat(s, statVa, st);
    }

    // The status of what (dirfd, path) names for newfstatat and statx: the descriptor itself for an empty path
    // with AT_EMPTY_PATH; a final link followed unless AT_SYMLINK_NOFOLLOW. 0 or -errno.
    private int StatusAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, int flags, out FileStatus st)
    {
        st = default;
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start, allowEmpty: (flags & LinuxAbi.AT_EMPTY_PATH) != 0);
        if (len == EmptyPathOfDescriptor) return p.Get(dirfd)!.Stat(out st);
        if (len < 0) return len;
        if (len == 0) return start!.Node.GetAttributes(out st);
        return Vfs.Stat(start!, _pathIn.AsSpan(0, len), (flags & LinuxAbi.AT_SYMLINK_NOFOLLOW) == 0, out st);
    }

    private static long FileStat(IUserStrand s, LinuxProcess p, uint fd, ulong statVa)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        int r = f.Stat(out FileStatus st);
        return r < 0 ? r : CopyOutStat(s, statVa, st);
    }

    // Writes st as the riscv64 asm-generic struct stat (128 bytes).
    private static long CopyOutStat(IUserStrand s, ulong va, in FileStatus st)
    {
        Span<byte> b = stackalloc byte[128];
        b.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(b, st.Device);
        BinaryPrimitives.WriteUInt64LittleEndian(b[8..], st.Inode);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], st.Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], (uint)Math.Min(st.LinkCount, uint.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(b[24..], st.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(b[28..], st.Gid);
        BinaryPrimitives.WriteUInt64LittleEndian(b[32..], st.SpecialDevice);
        BinaryPrimitives.WriteInt64LittleEndian(b[48..], st.Size);
        BinaryPrimitives.WriteInt32LittleEndian(b[56..], (int)st.BlockSize);
        BinaryPrimitives.WriteInt64LittleEndian(b[64..], st.Blocks);
        BinaryPrimitives.WriteInt64LittleEndian(b[72..], st.AccessSeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(b[80..], st.AccessNanoseconds);
        BinaryPrimitives.WriteInt64LittleEndian(b[88..], st.ModifySeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(b[96..], st.ModifyNanoseconds);
        BinaryPrimitives.WriteInt64LittleEndian(b[104..], st.ChangeSeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(b[112..], st.ChangeNanoseconds);
        return s.Memory.CopyOut(va, b) ? 0 : -Errno.EFAULT;
    }

    private long GetDents(IUserStrand s, LinuxProcess p, uint fd, ulong buf, uint count)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        Span<byte> chunk = _scratch.AsSpan(0, (int)Math.Min(count, (uint)_scratch.Length));
        int n = f.ReadDirectory(chunk);
        if (n <= 0) return n;
        return s.Memory.CopyOut(buf, chunk[..n]) ? n : -Errno.EFAULT;
    }

    private long ReadLinkAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, ulong buf, int size)
    {
        if (size <= 0) return -Errno.EINVAL;
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start);
        if (len < 0) return len;
        Span<byte> target = _scratch.AsSpan(0, Math.Min(size, _scratch.Length));
        int n = Vfs.ReadLink(start!, _pathIn.AsSpan(0, len), target);
        if (n < 0) return n;
        return s.Memory.CopyOut(buf, target[..n]) ? n : -Errno.EFAULT;
    }

    private long UnlinkAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, int flags)
    {
        if ((flags & ~LinuxAbi.AT_REMOVEDIR) != 0) return -Errno.EINVAL;
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start);
        if (len < 0) return len;
        bool directory = (flags & LinuxAbi.AT_REMOVEDIR) != 0;
        int r = Vfs.Unlink(start!, _pathIn.AsSpan(0, len), directory);
        return directory ? r : UnlinkSocketName(start!, _pathIn.AsSpan(0, len), r);
    }

    private long MakeDirectoryAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, uint mode)
    {
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start);
        return len < 0 ? len : Vfs.MakeDirectory(start!, _pathIn.AsSpan(0, len), mode & ~p.Umask, Creator(p));
    }

    private long SymlinkAt(IUserStrand s, LinuxProcess p, ulong targetVa, int dirfd, ulong pathVa)
    {
        int tlen = s.Memory.ReadCString(targetVa, _pathIn2);
        if (tlen < 0) return tlen == -1 ? -Errno.EFAULT : -Errno.ENAMETOOLONG;
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start);
        return len < 0 ? len : Vfs.MakeSymlink(_pathIn2.AsSpan(0, tlen), start!, _pathIn.AsSpan(0, len), Creator(p));
    }

    // linkat: a new name for a non-directory, the old path's final link followed only with AT_SYMLINK_FOLLOW;
    // AT_EMPTY_PATH links the descriptor's object, which Linux allows only with CAP_DAC_READ_SEARCH (root here).
    private long LinkAt(IUserStrand s, LinuxProcess p, int oldDirfd, ulong oldVa, int newDirfd, ulong newVa, int flags)
    {
        if ((flags & ~(LinuxAbi.AT_SYMLINK_FOLLOW | LinuxAbi.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        bool emptyPath = (flags & LinuxAbi.AT_EMPTY_PATH) != 0 && p.Identity.Uid == 0;
        int oldLen = PathAt(s, p, oldDirfd, oldVa, _pathIn, out Location? from, allowEmpty: emptyPath);
        if (oldLen < 0 && oldLen != EmptyPathOfDescriptor) return oldLen;
        int newLen = PathAt(s, p, newDirfd, newVa, _pathIn2, out Location? to);
        if (newLen < 0) return newLen;
        if (oldLen == EmptyPathOfDescriptor)
        {
            int r = DescriptorNode(p, (uint)oldDirfd, out Sdk.Vfs.Vnode? node);
            return r < 0 ? r : Vfs.Link(node!, to!, _pathIn2.AsSpan(0, newLen));
        }
        if (oldLen == 0) return Vfs.Link(from!.Node, to!, _pathIn2.AsSpan(0, newLen)); // AT_EMPTY_PATH with AT_FDCWD: the working directory
        return Vfs.Link(from!, _pathIn.AsSpan(0, oldLen), (flags & LinuxAbi.AT_SYMLINK_FOLLOW) != 0, to!, _pathIn2.AsSpan(0, newLen));
    }

    // renameat2: RENAME_NOREPLACE is honoured; RENAME_EXCHANGE and RENAME_WHITEOUT are not supported (-EINVAL).
    private long RenameAt(IUserStrand s, LinuxProcess p, int oldDirfd, ulong oldVa, int newDirfd, ulong newVa, uint flags)
    {
        if ((flags & ~(uint)FileAbi.RENAME_NOREPLACE) != 0) return -Errno.EINVAL;
        int oldLen = PathAt(s, p, oldDirfd, oldVa, _pathIn, out Location? from);
        if (oldLen < 0) return oldLen;
        int newLen = PathAt(s, p, newDirfd, newVa, _pathIn2, out Location? to);
        if (newLen < 0) return newLen;
        return Vfs.Rename(from!, _pathIn.AsSpan(0, oldLen), to!, _pathIn2.AsSpan(0, newLen), flags != 0);
    }

    private long AccessAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, int mode, int flags)
    {
        if ((mode & ~7) != 0 || (flags & ~(LinuxAbi.AT_EACCESS | LinuxAbi.AT_SYMLINK_NOFOLLOW | LinuxAbi.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start, allowEmpty: (flags & LinuxAbi.AT_EMPTY_PATH) != 0);
        if (len == EmptyPathOfDescriptor) return 0; // an open descriptor exists; its rights were checked at open
        if (len < 0) return len;
        if (len == 0) return start!.Node.Access(mode);
        return Vfs.Access(start!, _pathIn.AsSpan(0, len), mode, (flags & LinuxAbi.AT_SYMLINK_NOFOLLOW) == 0);
    }

    private long TruncatePath(IUserStrand s, LinuxProcess p, ulong pathVa, long length)
    {
        int len = PathAt(s, p, LinuxAbi.AT_FDCWD, pathVa, _pathIn, out Location? start);
        return len < 0 ? len : Vfs.Truncate(start!, _pathIn.AsSpan(0, len), length);
    }

    private static long TruncateFile(LinuxProcess p, uint fd, long length)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        if (length < 0 || !f.CanWrite) return -Errno.EINVAL;
        return f.Truncate(length);
    }

    private long GetCwd(IUserStrand s, LinuxProcess p, ulong buf, ulong size)
    {
        byte[] path = CwdPath(p);
        int len = path.Length + 1;
        if (size < (ulong)len) return -Errno.ERANGE;
        Span<byte> b = _scratch.AsSpan(0, len);
        path.CopyTo(b);
        b[^1] = 0;
        return s.Memory.CopyOut(buf, b) ? len : -Errno.EFAULT;
    }

    private long ChangeDirectory(IUserStrand s, LinuxProcess p, ulong pathVa)
    {
        int len = PathAt(s, p, LinuxAbi.AT_FDCWD, pathVa, _pathIn, out Location? start);
        if (len < 0) return len;
        int r = Vfs.ChangeDirectory(start!, _pathIn.AsSpan(0, len), out Location? directory);
        if (r < 0) return r;
        p.Files.Cwd = directory;
        return 0;
    }

    private static long ChangeDirectoryTo(LinuxProcess p, uint fd)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        if (f.Directory == null) return -Errno.ENOTDIR;
        int r = f.Directory.Node.Access(1);
        if (r < 0) return r;
        p.Files.Cwd = f.Directory;
        return 0;
    }

    private static long Ioctl(IUserStrand s, LinuxProcess p, uint fd, uint request, ulong arg)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        if (request == FIONREAD && QueuedBytes(f) is var queued and >= 0) return CopyOutInt(s, arg, queued);
        Span<byte> result = stackalloc byte[request == LinuxAbi.TCGETS ? 36 : 8];
        int r = f.TerminalControl(request, result);
        if (r < 0) return r;
        return s.Memory.CopyOut(arg, result) ? 0 : -Errno.EFAULT;
    }

    // Makes the user path at pathVa absolute and canonical (every symbolic link followed) in
    // _pathOut, for execve; returns its length or -errno (-ENOENT if it does not exist).
    private int ResolvePath(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, bool allowEmpty)
    {
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start, allowEmpty);
        if (len == EmptyPathOfDescriptor) start = p.Get(dirfd)!.Directory;
        else if (len < 0) return len;
        Location? at = start;
        if (len > 0)
        {
            int r = Vfs.Lookup(start!, _pathIn.AsSpan(0, len), followFinal: true, out at);
            if (r < 0) return r;
        }
        if (at == null) return -Errno.ENOTDIR;
        byte[] path = at.Path();
        if (path.Length > _pathOut.Length) return -Errno.ENAMETOOLONG;
        path.CopyTo(_pathOut, 0);
        return path.Length;
    }

    /// <summary>PathAt's answer for an empty path with AT_EMPTY_PATH and a descriptor (not AT_FDCWD): act on the descriptor.</summary>
    private const int EmptyPathOfDescriptor = int.MinValue;

    // Reads the user path at pathVa into buffer and finds where resolution starts: the root for
    // an absolute path, else the working directory (AT_FDCWD) or the directory dirfd names.
    // Returns the path's length or -errno. An empty path is ENOENT unless allowEmpty: then it
    // names dirfd itself (length 0 with start the working directory for AT_FDCWD, otherwise
    // EmptyPathOfDescriptor once dirfd is known to be open).
    private int PathAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, byte[] buffer, out Location? start, bool allowEmpty = false)
    {
        start = null;
        int n = s.Memory.ReadCString(pathVa, buffer);
        if (n == -1) return -Errno.EFAULT;
        if (n < 0) return -Errno.ENAMETOOLONG;
        if (n == 0 && !allowEmpty) return -Errno.ENOENT;
        if (n > 0 && buffer[0] == '/') { start = Vfs.Root; return n; }
        if (dirfd == LinuxAbi.AT_FDCWD) { start = Cwd(p); return n; }
        FileDescription? f = p.Get((uint)dirfd);
        if (f == null) return -Errno.EBADF;
        if (n == 0) return EmptyPathOfDescriptor;
        if (f.Directory == null) return -Errno.ENOTDIR;
        start = f.Directory;
        return n;
    }
}
