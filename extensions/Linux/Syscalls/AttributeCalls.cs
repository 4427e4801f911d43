using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux;

// Calls on an object's attributes and its file system, through the VFS contract: umask, chmod, chown,
// utimensat, statx, statfs, fsync, fallocate, mknod. Who may change what is Linux's rule for a process
// without capabilities other than uid 0's: the owner (or root) changes mode and times; only root gives
// a file away; root may do everything.
public sealed partial class LinuxPersonality
{
    private static long Umask(LinuxProcess p, uint mask)
    {
        uint old = p.Umask;
        p.Umask = mask & 0x1ff;
        return old;
    }

    // The object a call names: the descriptor itself for an empty path with AT_EMPTY_PATH, else the path
    // resolved from dirfd (its final link followed unless AT_SYMLINK_NOFOLLOW). 0 or -errno.
    private int ObjectAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, int flags, out Vnode? node)
    {
        node = null;
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start, allowEmpty: (flags & LinuxAbi.AT_EMPTY_PATH) != 0);
        if (len == EmptyPathOfDescriptor) return DescriptorNode(p.Get(dirfd)!, out node);
        if (len < 0) return len;
        if (len == 0) { node = start!.Node; return 0; }
        int r = Vfs.Resolve(start!, _pathIn.AsSpan(0, len), (flags & LinuxAbi.AT_SYMLINK_NOFOLLOW) == 0, out Location? at);
        if (r < 0) return r;
        node = at!.Node;
        return 0;
    }

    // The object behind a descriptor; -EPERM for a pipe or the console (no object of a file system).
    private static int DescriptorNode(FileDescription f, out Vnode? node)
    {
        node = f.Node;
        return node == null ? -Errno.EPERM : 0;
    }

    private static int DescriptorNode(LinuxProcess p, uint fd, out Vnode? node)
    {
        node = null;
        FileDescription? f = p.Get(fd);
        return f == null ? -Errno.EBADF : DescriptorNode(f, out node);
    }

    // Linux's inode_owner_or_capable: the owner, or root.
    private static int OwnerOrRoot(LinuxProcess p, Vnode node)
    {
        int r = node.GetAttributes(out FileStatus st);
        if (r < 0) return r;
        return p.Identity.Uid == 0 || p.Identity.Uid == st.Uid ? 0 : -Errno.EPERM;
    }

    private long ChangeModeAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, uint mode)
    {
        int r = ObjectAt(s, p, dirfd, pathVa, 0, out Vnode? node);
        return r < 0 ? r : ChangeMode(p, node!, mode);
    }

    private static long ChangeModeOf(LinuxProcess p, uint fd, uint mode)
    {
        int r = DescriptorNode(p, fd, out Vnode? node);
        return r < 0 ? r : ChangeMode(p, node!, mode);
    }

    private static long ChangeMode(LinuxProcess p, Vnode node, uint mode)
    {
        int r = OwnerOrRoot(p, node);
        if (r < 0) return r;
        return node.SetAttributes(new AttributeChanges { Valid = AttributeMask.Mode, Mode = mode & FileType.PermissionMask });
    }

    private long ChangeOwnerAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, uint uid, uint gid, int flags)
    {
        if ((flags & ~(LinuxAbi.AT_SYMLINK_NOFOLLOW | LinuxAbi.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        int r = ObjectAt(s, p, dirfd, pathVa, flags, out Vnode? node);
        return r < 0 ? r : ChangeOwner(p, node!, uid, gid);
    }

    private static long ChangeOwnerOf(LinuxProcess p, uint fd, uint uid, uint gid)
    {
        int r = DescriptorNode(p, fd, out Vnode? node);
        return r < 0 ? r : ChangeOwner(p, node!, uid, gid);
    }

    // chown: -1 keeps a field. Root may set anything; the owner may keep the owner and set the group to one it is in.
    // As Linux, a change of a non-directory clears set-user-ID, and set-group-ID when the group may execute.
    private static long ChangeOwner(LinuxProcess p, Vnode node, uint uid, uint gid)
    {
        int r = node.GetAttributes(out FileStatus st);
        if (r < 0) return r;
        var c = new AttributeChanges();
        if (uid != uint.MaxValue) { c.Valid |= AttributeMask.Uid; c.Uid = uid; }
        if (gid != uint.MaxValue) { c.Valid |= AttributeMask.Gid; c.Gid = gid; }
        uint me = p.Identity.Uid;
        bool groupOfMine = gid == uint.MaxValue || gid == st.Gid || gid == p.Identity.Gid || Array.IndexOf(p.Groups, gid) >= 0;
        if (me != 0 && (me != st.Uid || (uid != uint.MaxValue && uid != st.Uid) || !groupOfMine)) return -Errno.EPERM;
        if (c.Valid != 0 && !node.IsDirectory && (st.Mode & 0xc00) != 0)
        {
            uint clear = 0x800 | ((st.Mode & 0x408) == 0x408 ? 0x400u : 0); // S_ISUID, and S_ISGID with S_IXGRP
            if ((st.Mode & clear) != 0) { c.Valid |= AttributeMask.Mode; c.Mode = st.Mode & ~clear & FileType.PermissionMask; }
        }
        return c.Valid == 0 ? 0 : node.SetAttributes(c);
    }

    // utimensat(dirfd, path, times[2], flags): a null path acts on dirfd itself (futimens); null times
    // means both now; UTIME_NOW and UTIME_OMIT per field. Now needs write access or ownership; an
    // explicit time needs ownership.
    private long SetTimesAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, ulong timesVa, int flags)
    {
        const long UtimeNow = (1L << 30) - 1, UtimeOmit = (1L << 30) - 2;
        if ((flags & ~(LinuxAbi.AT_SYMLINK_NOFOLLOW | LinuxAbi.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        Span<long> t = [0, UtimeNow, 0, UtimeNow];
        if (timesVa != 0)
        {
            Span<byte> b = stackalloc byte[32];
            if (!s.Memory.CopyIn(timesVa, b)) return -Errno.EFAULT;
            for (int i = 0; i < 4; i++) t[i] = BinaryPrimitives.ReadInt64LittleEndian(b[(8 * i)..]);
            for (int i = 1; i < 4; i += 2)
                if (t[i] != UtimeNow && t[i] != UtimeOmit && (ulong)t[i] >= 1_000_000_000) return -Errno.EINVAL;
        }
        Vnode? node = null;
        int r;
        if (pathVa != 0) r = ObjectAt(s, p, dirfd, pathVa, flags, out node);
        else if (dirfd == LinuxAbi.AT_FDCWD) r = -Errno.EFAULT;
        else r = dirfd < 0 ? -Errno.EBADF : DescriptorNode(p, (uint)dirfd, out node);
        if (r < 0) return r;
        if (t[1] == UtimeOmit && t[3] == UtimeOmit) return 0;
        bool explicitTime = (t[1] != UtimeNow && t[1] != UtimeOmit) || (t[3] != UtimeNow && t[3] != UtimeOmit);
        r = OwnerOrRoot(p, node!);
        if (r < 0 && (explicitTime || node!.Access(2) < 0)) return explicitTime ? -Errno.EPERM : -Errno.EACCES;
        long now = _clock.RealtimeNanoseconds;
        var c = new AttributeChanges();
        if (t[1] != UtimeOmit) { c.Valid |= AttributeMask.AccessTime; c.AccessNanoseconds = t[1] == UtimeNow ? now : t[0] * 1_000_000_000 + t[1]; }
        if (t[3] != UtimeOmit) { c.Valid |= AttributeMask.ModifyTime; c.ModifyNanoseconds = t[3] == UtimeNow ? now : t[2] * 1_000_000_000 + t[3]; }
        return node!.SetAttributes(c);
    }

    // statx(dirfd, path, flags, mask, buf): the basic fields (STATX_BASIC_STATS) whatever the mask asks.
    private long StatxAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, int flags, uint mask, ulong buf)
    {
        const int AtStatxSyncType = 0x6000;
        const uint StatxReserved = 0x80000000, StatxBasicStats = 0x7ff;
        if ((flags & ~(LinuxAbi.AT_SYMLINK_NOFOLLOW | LinuxAbi.AT_EMPTY_PATH | LinuxAbi.AT_NO_AUTOMOUNT | AtStatxSyncType)) != 0
            || (flags & AtStatxSyncType) == AtStatxSyncType || (mask & StatxReserved) != 0)
            return -Errno.EINVAL;
        int r = StatusAt(s, p, dirfd, pathVa, flags, out FileStatus st);
        if (r < 0) return r;
        Span<byte> b = stackalloc byte[256];
        b.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(b, StatxBasicStats);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], (uint)st.BlockSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], (uint)Math.Min(st.LinkCount, uint.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], st.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(b[24..], st.Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(b[28..], (ushort)st.Mode);
        BinaryPrimitives.WriteUInt64LittleEndian(b[32..], st.Inode);
        BinaryPrimitives.WriteInt64LittleEndian(b[40..], st.Size);
        BinaryPrimitives.WriteInt64LittleEndian(b[48..], st.Blocks);
        WriteStatxTime(b[64..], st.AccessSeconds, st.AccessNanoseconds);
        WriteStatxTime(b[96..], st.ChangeSeconds, st.ChangeNanoseconds);
        WriteStatxTime(b[112..], st.ModifySeconds, st.ModifyNanoseconds);
        WriteDevice(b[128..], st.SpecialDevice);
        WriteDevice(b[136..], st.Device);
        return s.Memory.CopyOut(buf, b) ? 0 : -Errno.EFAULT;
    }

    private static void WriteStatxTime(Span<byte> b, long seconds, uint nanoseconds)
    {
        BinaryPrimitives.WriteInt64LittleEndian(b, seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], nanoseconds);
    }

    // A dev_t (glibc's encoding) as statx's major and minor.
    private static void WriteDevice(Span<byte> b, ulong dev)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & 0xfffff000)));
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], (uint)((dev & 0xff) | ((dev >> 12) & 0xffffff00)));
    }

    private long StatFileSystemAt(IUserStrand s, LinuxProcess p, ulong pathVa, ulong buf)
    {
        int r = ObjectAt(s, p, LinuxAbi.AT_FDCWD, pathVa, 0, out Vnode? node);
        return r < 0 ? r : CopyOutStatfs(s, node!.FileSystem, buf);
    }

    private static long StatFileSystemOf(IUserStrand s, LinuxProcess p, uint fd, ulong buf)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        return f.Node is { } node ? CopyOutStatfs(s, node.FileSystem, buf) : -Errno.EINVAL;
    }

    // Writes the file system's statistics as the 64-bit struct statfs (120 bytes); f_fsid 0, f_flags ST_VALID.
    private static long CopyOutStatfs(IUserStrand s, IFileSystem fs, ulong va)
    {
        const long StValid = 0x20;
        int r = fs.GetStatistics(out FileSystemStatistics st);
        if (r < 0) return r;
        Span<byte> b = stackalloc byte[120];
        b.Clear();
        BinaryPrimitives.WriteInt64LittleEndian(b, st.Type);
        BinaryPrimitives.WriteInt64LittleEndian(b[8..], st.BlockSize);
        BinaryPrimitives.WriteUInt64LittleEndian(b[16..], st.Blocks);
        BinaryPrimitives.WriteUInt64LittleEndian(b[24..], st.FreeBlocks);
        BinaryPrimitives.WriteUInt64LittleEndian(b[32..], st.AvailableBlocks);
        BinaryPrimitives.WriteUInt64LittleEndian(b[40..], st.Files);
        BinaryPrimitives.WriteUInt64LittleEndian(b[48..], st.FreeFiles);
        BinaryPrimitives.WriteInt64LittleEndian(b[64..], st.NameMax);
        BinaryPrimitives.WriteInt64LittleEndian(b[72..], st.BlockSize); // f_frsize
        BinaryPrimitives.WriteInt64LittleEndian(b[80..], StValid);
        return s.Memory.CopyOut(va, b) ? 0 : -Errno.EFAULT;
    }

    private static long SyncFile(LinuxProcess p, uint fd)
    {
        FileDescription? f = p.Get(fd);
        return f == null ? -Errno.EBADF : f.Sync();
    }

    // sync / syncfs: every mounted file system writes out what it buffers (sync never fails).
    private long SyncAll()
    {
        foreach (IFileSystem fs in Vfs.FileSystems()) fs.Sync();
        return 0;
    }

    private static long SyncFileSystemOf(LinuxProcess p, uint fd)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        return f.Node is { } node ? node.FileSystem.Sync() : 0;
    }

    // fallocate(fd, mode, offset, len).
    private static long Allocate(LinuxProcess p, uint fd, int mode, long offset, long length)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        if (offset < 0 || length <= 0) return -Errno.EINVAL;
        if (!f.CanWrite) return -Errno.EBADF;
        if (offset > long.MaxValue - length) return -Errno.EFBIG;
        return f.Allocate(mode, offset, length);
    }

    // mknodat(dirfd, path, mode, dev): FIFOs and regular files (type 0 is regular); device nodes need
    // CAP_MKNOD, which no process here has (-EPERM); sockets are not made (-EPERM).
    private long MakeNodeAt(IUserStrand s, LinuxProcess p, int dirfd, ulong pathVa, uint mode)
    {
        uint type = mode & FileType.Mask;
        if (type == 0) type = FileType.Regular;
        if (type is not (FileType.Regular or FileType.Fifo or FileType.CharacterDevice or FileType.BlockDevice or FileType.Socket))
            return -Errno.EINVAL;
        int len = PathAt(s, p, dirfd, pathVa, _pathIn, out Location? start);
        if (len < 0) return len;
        if (type is not (FileType.Regular or FileType.Fifo)) return -Errno.EPERM;
        return Vfs.MakeNode(start!, _pathIn.AsSpan(0, len), type | (mode & ~p.Umask & FileType.PermissionMask), Creator(p));
    }
}
