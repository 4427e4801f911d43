using System;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Fs.Ext2;

// The changing operations of the VFS contract on ext2: write, setattr (truncate), create, mkdir, symlink, mknod,
// link, unlink, rmdir, open and fsync (rename is in Ext2Node.Rename.cs). A read-only mount answers -EROFS to all of them. Order of stores (for
// what a crash leaves): a new object's inode is stored before its name; a name is removed before its inode is
// freed; link counts may be left high, never low, so e2fsck's repair never loses a named file. An inode whose last
// name goes while it is open is freed at its last close. Caller: CPU's thread, one call at a time.
public sealed partial class Ext2Node
{
    /// <summary>Linux's EXT2_LINK_MAX: the most names (or subdirectories) an inode has.</summary>
    public const uint MaxLinks = 32000;

    /// <inheritdoc/>
    public override int Access(int mode) => (mode & 2) != 0 && _fs.ReadOnly ? -Errno.EROFS : base.Access(mode);

    /// <inheritdoc/>
    public override int Open(OpenFlags flags, out OpenFile? file)
    {
        file = null;
        bool write = (flags & OpenFlags.AccessMask) != OpenFlags.ReadOnly || (flags & OpenFlags.Truncate) != 0;
        if (write && _fs.ReadOnly) return -Errno.EROFS;
        if (Type != FileType.Regular && Type != FileType.Directory) return -Errno.ENXIO;
        if (Live() is var live and < 0) return live;
        if ((flags & OpenFlags.Truncate) != 0 && Truncate(0) is var r and < 0) return r;
        _fs.CountOpen(Number, +1);
        file = new Ext2OpenFile(this);
        return 0;
    }

    // The last descriptor of an open is gone: an inode with no name left is freed.
    internal void Closed()
    {
        if (_fs.CountOpen(Number, -1) == 0 && Live() == 0 && _inode.Links == 0 && !_fs.ReadOnly) Destroy();
    }

    /// <inheritdoc/>
    public override int Sync() => _fs.Sync();

    /// <inheritdoc/>
    public override long Write(ReadOnlySpan<byte> buffer, long offset)
    {
        if (Type != FileType.Regular) return IsDirectory ? -Errno.EISDIR : -Errno.EINVAL;
        if (_fs.ReadOnly) return -Errno.EROFS;
        if (offset < 0) return -Errno.EINVAL;
        if (buffer.Length == 0) return 0;
        if (offset >= _fs.MaxSize) return -Errno.EFBIG;
        if (Live() is var live and < 0) return live;
        long total = Math.Min(buffer.Length, _fs.MaxSize - offset), done = 0, error = 0;
        int bs = _fs.Super.BlockSize;
        while (done < total)
        {
            long at = offset + done;
            int within = (int)(at % bs), n = (int)Math.Min(bs - within, total - done);
            long physical = MapForWrite(at / bs, out bool fresh);
            if (physical > 0 && fresh && n < bs) physical = _fs.ZeroBlock((uint)physical) is var z and < 0 ? z : physical;
            if (physical > 0) physical = _fs.WriteBlock((uint)physical, within, buffer.Slice((int)done, n)) is var w and < 0 ? w : physical;
            if (physical <= 0) { error = physical < 0 ? physical : -Errno.EUCLEAN; break; }
            done += n;
        }
        if (done > 0)
        {
            _inode.Size = Math.Max(_inode.Size, offset + done);
            _inode.ModifyTime = _inode.ChangeTime = _fs.Now;
        }
        int stored = _fs.WriteInode(this);
        return done > 0 ? done : error < 0 ? error : stored;
    }

    /// <inheritdoc/>
    public override int SetAttributes(in AttributeChanges changes)
    {
        if (_fs.ReadOnly) return -Errno.EROFS;
        if (Live() is var live and < 0) return live;
        int r = 0;
        if ((changes.Valid & AttributeMask.Size) != 0)
        {
            if (Type != FileType.Regular) return IsDirectory ? -Errno.EISDIR : -Errno.EINVAL;
            if (changes.Size < 0) return -Errno.EINVAL;
            if (changes.Size > _fs.MaxSize) return -Errno.EFBIG;
            r = Resize(changes.Size);
        }
        if ((changes.Valid & AttributeMask.Mode) != 0) _inode.Mode = _inode.Type | (changes.Mode & FileType.PermissionMask);
        if ((changes.Valid & AttributeMask.Uid) != 0) _inode.Uid = changes.Uid;
        if ((changes.Valid & AttributeMask.Gid) != 0) _inode.Gid = changes.Gid;
        if ((changes.Valid & AttributeMask.AccessTime) != 0) _inode.AccessTime = changes.AccessNanoseconds / 1_000_000_000;
        if ((changes.Valid & AttributeMask.ModifyTime) != 0) _inode.ModifyTime = changes.ModifyNanoseconds / 1_000_000_000;
        _inode.ChangeTime = _fs.Now;
        int stored = _fs.WriteInode(this);
        return r < 0 ? r : stored;
    }

    // Sets a regular file's length: blocks past it are freed, and the bytes of the last block past the end are
    // zeros (so a later extension reads zeros there).
    private int Resize(long size)
    {
        int bs = _fs.Super.BlockSize, r = 0;
        long old = _inode.Size;
        if (size < old) r = FreeFrom((size + bs - 1) / bs);
        long tail = Math.Min(size, old);
        if (r == 0 && tail % bs != 0 && size != old)
        {
            long physical = Map(tail / bs);
            if (physical < 0) r = (int)physical;
            else if (physical > 0)
            {
                Span<byte> zeros = stackalloc byte[bs - (int)(tail % bs)];
                zeros.Clear();
                r = _fs.WriteBlock((uint)physical, (int)(tail % bs), zeros);
            }
        }
        if (r == 0 && size != old)
        {
            _inode.Size = size;
            _inode.ModifyTime = _fs.Now;
        }
        return r;
    }

    /// <inheritdoc/>
    public override int Create(ReadOnlySpan<byte> name, uint mode, out Vnode? node) =>
        MakeChild(name, FileType.Regular | (mode & FileType.PermissionMask), [], out node);

    /// <inheritdoc/>
    public override int MakeNode(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        node = null;
        uint type = mode & FileType.Mask;
        if (type != FileType.Regular && type != FileType.Fifo) return IsDirectory ? -Errno.EPERM : -Errno.ENOTDIR;
        return MakeChild(name, type | (mode & FileType.PermissionMask), [], out node);
    }

    /// <inheritdoc/>
    public override int MakeDirectory(ReadOnlySpan<byte> name, uint mode, out Vnode? node) =>
        MakeChild(name, FileType.Directory | (mode & FileType.PermissionMask), [], out node);

    /// <inheritdoc/>
    public override int MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target, out Vnode? node)
    {
        node = null;
        if (target.Length == 0) return IsDirectory ? -Errno.ENOENT : -Errno.ENOTDIR;
        if (target.Length >= _fs.Super.BlockSize) return -Errno.ENAMETOOLONG;
        return MakeChild(name, FileType.Symlink | 0x1ff, target, out node);
    }

    // Makes `name` a new object of `mode`: a directory gets "." and "..", a symlink its text (`content`, in i_block
    // if it fits, else in a block). The inode is stored before the name is added; on failure everything taken is
    // given back.
    private int MakeChild(ReadOnlySpan<byte> name, uint mode, ReadOnlySpan<byte> content, out Vnode? node)
    {
        node = null;
        int r = CheckNewName(name);
        if (r < 0) return r;
        bool directory = (mode & FileType.Mask) == FileType.Directory;
        if (directory && _inode.Links >= MaxLinks) return -Errno.EMLINK;
        long number = _fs.AllocateInode(Number, directory);
        if (number < 0) return (int)number;
        long now = _fs.Now;
        var inode = new Inode
        {
            Raw = new byte[_fs.Super.InodeSize], Mode = mode, Links = directory ? 2u : 1u,
            AccessTime = now, ChangeTime = now, ModifyTime = now,
        };
        if (inode.Raw.Length >= Ext2.Inode.RecordBytes + 32) Superblock.Put16(inode.Raw, Ext2.Inode.RecordBytes, 32);   // i_extra_isize, as mke2fs's inodes
        var child = _fs.Remember(new Ext2Node(_fs, (uint)number, inode));
        r = child.Fill(this, content);
        if (r == 0) r = _fs.WriteInode(child);
        if (r == 0) r = AddEntry(name, child.Number, child.Type);
        if (r < 0)
        {
            child._inode.Links = 0;
            child.Destroy();
            return r;
        }
        if (directory)
        {
            _inode.Links++;
            r = _fs.WriteInode(this);
        }
        node = child;
        return r;
    }

    // A new object's first contents: a directory's "." and ".." block, a symlink's text.
    private int Fill(Ext2Node parent, ReadOnlySpan<byte> content)
    {
        if (IsDirectory)
        {
            int bs = _fs.Super.BlockSize;
            long physical = MapForWrite(0, out _);
            if (physical < 0) return (int)physical;
            var block = new byte[bs];
            byte code = (_fs.Super.Incompat & Superblock.IncompatFiletype) != 0 ? DirectoryEntry.CodeOf(FileType.Directory) : (byte)0;
            DirectoryEntry.Write(block, 0, Number, 12, "."u8, code);
            DirectoryEntry.Write(block, 12, parent.Number, bs - 12, ".."u8, code);
            _inode.Size = bs;
            return _fs.WriteBlock((uint)physical, 0, block);
        }
        if (!IsSymlink) return 0;
        _inode.Size = content.Length;
        if (content.Length < _inode.BlockBytes.Length)
        {
            _inode.SetBlockBytes(content);
            return 0;
        }
        long at = MapForWrite(0, out _);
        if (at < 0) return (int)at;
        int r = _fs.ZeroBlock((uint)at);
        return r < 0 ? r : _fs.WriteBlock((uint)at, 0, content);
    }

    // Frees this inode and its blocks (its last name is gone, and it is not open).
    private void Destroy()
    {
        bool hasBlocks = Type is FileType.Regular or FileType.Directory || (IsSymlink && !IsFastSymlink());
        int r = hasBlocks ? FreeFrom(0) : 0;
        if (!hasBlocks) _inode.SetBlockBytes([]);
        _inode.Size = 0;
        _inode.Links = 0;
        _inode.DeleteTime = _fs.Now;
        if (r == 0) r = _fs.WriteInode(this);
        if (r == 0) _fs.FreeInode(Number, IsDirectory);
        Deleted = true;
    }

    // 0 if `name` may be added here: this is a live directory of a writable mount, the name is short enough and free.
    private int CheckNewName(ReadOnlySpan<byte> name)
    {
        if (!IsDirectory) return -Errno.ENOTDIR;
        if (_fs.ReadOnly) return -Errno.EROFS;
        if (name.Length > DirectoryEntry.MaxName) return -Errno.ENAMETOOLONG;
        int r = Lookup(name, out _);
        return r == 0 ? -Errno.EEXIST : r == -Errno.ENOENT ? 0 : r;
    }

    /// <inheritdoc/>
    public override int Link(ReadOnlySpan<byte> name, Vnode target)
    {
        int r = CheckNewName(name);
        if (r < 0) return r;
        if (target is not Ext2Node node || !ReferenceEquals(node._fs, _fs)) return -Errno.EXDEV;
        if (node.IsDirectory) return -Errno.EPERM;
        if (node.Live() < 0 || node._inode.Links == 0) return -Errno.ENOENT;
        if (node._inode.Links >= MaxLinks) return -Errno.EMLINK;
        node._inode.Links++;                                  // the count first: a crash leaves it high, never low
        node._inode.ChangeTime = _fs.Now;
        r = _fs.WriteInode(node);
        return r < 0 ? r : AddEntry(name, node.Number, node.Type);
    }

    /// <inheritdoc/>
    public override int Unlink(ReadOnlySpan<byte> name)
    {
        int r = Named(name, out Ext2Node? node);
        if (r < 0) return r;
        if (node!.IsDirectory) return -Errno.EISDIR;
        r = RemoveEntry(name, out _);
        return r < 0 ? r : node.Unlinked();
    }

    /// <inheritdoc/>
    public override int RemoveDirectory(ReadOnlySpan<byte> name)
    {
        int r = Named(name, out Ext2Node? node);
        if (r < 0) return r;
        if (!node!.IsDirectory) return -Errno.ENOTDIR;
        if ((r = node.IsEmpty()) <= 0) return r < 0 ? r : -Errno.ENOTEMPTY;
        r = RemoveEntry(name, out _);
        if (r < 0) return r;
        node._inode.Links = 0;
        node.Destroy();
        if (_inode.Links > 2) _inode.Links--;
        return _fs.WriteInode(this);
    }

    // The object named `name` here, for a change: checks that this is a live directory of a writable mount.
    private int Named(ReadOnlySpan<byte> name, out Ext2Node? node)
    {
        node = null;
        if (!IsDirectory) return -Errno.ENOTDIR;
        if (_fs.ReadOnly) return -Errno.EROFS;
        int r = Lookup(name, out Vnode? child);
        node = child as Ext2Node;
        return r;
    }

    // One name of this non-directory is gone: counts it, and frees the inode if that was the last and it is not open.
    private int Unlinked()
    {
        if (_inode.Links > 0) _inode.Links--;
        _inode.ChangeTime = _fs.Now;
        int r = _fs.WriteInode(this);
        if (_inode.Links == 0 && !_fs.IsOpen(Number)) Destroy();
        return r;
    }
}

/// <summary>One open of an <see cref="Ext2Node"/>: counts the node open until released (an unlinked inode lives until then).</summary>
public sealed class Ext2OpenFile(Ext2Node node) : OpenFile(node)
{
    /// <inheritdoc/>
    public override void Release() => ((Ext2Node)Node).Closed();
}
