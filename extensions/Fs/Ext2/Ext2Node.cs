using System;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Fs.Ext2;

/// <summary>
/// One object of an <see cref="Ext2FileSystem"/>: a regular file, directory, symbolic link or device node, with its
/// inode as read at first use (the only copy in memory: changes go to it and are stored at once). Block pointers
/// are followed through <see cref="Map"/>, which checks each one; directory entries through
/// <see cref="DirectoryCursor"/>. This file reads; Ext2Node.Change.cs changes (on a read-write mount),
/// Ext2Node.Blocks.cs allocates and frees blocks, Ext2Node.Entries.cs edits directory entries.
/// </summary>
public sealed partial class Ext2Node : Vnode
{
    private readonly Ext2FileSystem _fs;
    private readonly Inode _inode;

    internal Ext2Node(Ext2FileSystem fs, uint number, Inode inode)
    {
        _fs = fs;
        Number = number;
        _inode = inode;
    }

    /// <summary>The inode number.</summary>
    public uint Number { get; }

    /// <summary>The inode as read.</summary>
    public Inode Record => _inode;

    /// <inheritdoc/>
    public override IFileSystem FileSystem => _fs;

    /// <inheritdoc/>
    public override ulong Inode => Number;

    /// <inheritdoc/>
    public override uint Type => _inode.Type;

    /// <summary>True once the inode is freed (its last name removed and its last open closed) or found freed.</summary>
    internal bool Deleted { get; private set; }

    /// <summary>
    /// Makes this node's copy of its inode the latest before an operation: a node that is not its inode's current
    /// object (the table dropped it; a newer one may have changed the inode since) reads its record again and
    /// becomes current. 0, or -ENOENT once the inode is freed or reused by another object (i_generation).
    /// </summary>
    internal int Live()
    {
        if (Deleted) return -Errno.ENOENT;
        if (_fs.IsCurrent(this)) return 0;
        var fresh = new Inode();
        int r = _fs.ReadLiveInode(Number, fresh);
        if (r == -Errno.EUCLEAN || (r == 0 && (fresh.Generation != _inode.Generation || fresh.Type != _inode.Type)))
        {
            Deleted = true;
            return -Errno.ENOENT;
        }
        if (r < 0) return r;
        _inode.Parse(fresh.Raw, (_fs.Super.RoCompat & 0x2) != 0);
        _fs.Remember(this);
        return 0;
    }

    /// <inheritdoc/>
    public override int GetAttributes(out FileStatus status)
    {
        Live();                                            // a freed inode's object reports what it last was
        var i = _inode;
        status = new FileStatus
        {
            Device = _fs.Device, Inode = Number, Mode = i.Mode, Uid = i.Uid, Gid = i.Gid, LinkCount = i.Links,
            Size = i.Size, BlockSize = _fs.Super.BlockSize, Blocks = i.Sectors,
            AccessSeconds = i.AccessTime, ModifySeconds = i.ModifyTime, ChangeSeconds = i.ChangeTime,
            SpecialDevice = Type is FileType.CharacterDevice or FileType.BlockDevice ? DeviceNumber() : 0,
        };
        return 0;
    }

    /// <inheritdoc/>
    public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
    {
        child = null;
        if (!IsDirectory) return -Errno.ENOTDIR;
        if (Live() is var live and < 0) return live;
        var cursor = new DirectoryCursor(_fs, this, 0);
        int r;
        while ((r = cursor.Next()) > 0)
        {
            if (!cursor.Name.SequenceEqual(name)) continue;
            r = _fs.Node(cursor.EntryInode, out Ext2Node? node);
            if (r < 0) return r;
            child = node;
            return 0;
        }
        return r < 0 ? r : -Errno.ENOENT;
    }

    /// <inheritdoc/>
    public override int ReadDirectory(long cookie, IDirectorySink sink)
    {
        if (!IsDirectory) return -Errno.ENOTDIR;
        if (cookie < 0) return -Errno.EINVAL;
        if (Live() is var live and < 0) return live;
        var cursor = new DirectoryCursor(_fs, this, cookie);
        int r;
        while ((r = cursor.Next()) > 0)
        {
            var name = cursor.Name;
            if (name.Length == 1 && name[0] == '.' || name.Length == 2 && name[0] == '.' && name[1] == '.') continue;
            uint type = cursor.EntryType;
            if (type == 0)
            {
                r = _fs.Node(cursor.EntryInode, out Ext2Node? node);
                if (r < 0) return r;
                type = node!.Type;
            }
            if (!sink.Add(name, cursor.EntryInode, type, cursor.NextOffset)) return 0;
        }
        return r;
    }

    /// <inheritdoc/>
    public override long Read(Span<byte> buffer, long offset)
    {
        if (Type != FileType.Regular) return IsDirectory ? -Errno.EISDIR : -Errno.EINVAL;
        if (offset < 0) return -Errno.EINVAL;
        if (Live() is var live and < 0) return live;
        if (offset >= _inode.Size) return 0;
        long total = Math.Min(buffer.Length, _inode.Size - offset);
        int bs = _fs.Super.BlockSize;
        long done = 0;
        while (done < total)
        {
            long at = offset + done;
            int within = (int)(at % bs), n = (int)Math.Min(bs - within, total - done);
            var into = buffer.Slice((int)done, n);
            long physical = Map(at / bs);
            if (physical < 0) return done > 0 ? done : physical;
            if (physical == 0) into.Clear();
            else if (_fs.ReadBlock((uint)physical, within, into) is var r and < 0) return done > 0 ? done : r;
            done += n;
        }
        return done;
    }

    /// <inheritdoc/>
    public override int ReadLink(Span<byte> target)
    {
        if (!IsSymlink) return -Errno.EINVAL;
        if (Live() is var live and < 0) return live;
        long size = _inode.Size;
        int bs = _fs.Super.BlockSize;
        if (size <= 0 || size >= bs) return -Errno.EUCLEAN;
        int length = (int)size, copy = Math.Min(length, target.Length);
        if (IsFastSymlink())
        {
            if (length > _inode.BlockBytes.Length) return -Errno.EUCLEAN;
            _inode.BlockBytes.AsSpan(0, copy).CopyTo(target);
            return length;
        }
        long physical = Map(0);
        if (physical <= 0) return physical < 0 ? (int)physical : -Errno.EUCLEAN;
        int r = _fs.ReadBlock((uint)physical, 0, target[..copy]);
        return r < 0 ? r : length;
    }

    // Linux's rule: a symlink whose blocks are only its extended-attribute block (or none) keeps its text in i_block.
    private bool IsFastSymlink()
    {
        uint attributeSectors = _inode.FileAcl != 0 ? (uint)_fs.Super.BlockSize / 512 : 0;
        return _inode.Sectors == attributeSectors;
    }

    /// <summary>
    /// The disk block holding logical block <paramref name="logical"/>: 0 for a hole (or past the largest file),
    /// the block number, or -EUCLEAN (a pointer outside the file system) / -EIO as a negative.
    /// </summary>
    public long Map(long logical)
    {
        uint p = _fs.PointersPerBlock;
        if (logical < Ext2.Inode.Direct) return Checked(_inode.Block[logical]);
        logical -= Ext2.Inode.Direct;
        if (logical < p) return Walk(_inode.Block[Ext2.Inode.SingleIndirect], logical, 1);
        logical -= p;
        if (logical < (long)p * p) return Walk(_inode.Block[Ext2.Inode.DoubleIndirect], logical, 2);
        logical -= (long)p * p;
        if (logical < (long)p * p * p) return Walk(_inode.Block[Ext2.Inode.TripleIndirect], logical, 3);
        return 0;
    }

    // Follows `levels` indirect blocks from `block` to the entry for `index` (levels is at most 3: no loop can last).
    private long Walk(uint block, long index, int levels)
    {
        long at = Checked(block);
        uint p = _fs.PointersPerBlock;
        for (int level = levels; level > 0 && at > 0; level--)
        {
            long span = level == 3 ? (long)p * p : level == 2 ? p : 1;
            at = _fs.Pointer((uint)at, (uint)(index / span));
            index %= span;
        }
        return at;
    }

    private long Checked(uint block) => block == 0 || _fs.InRange(block) ? block : -Errno.EUCLEAN;

    // st_rdev of a device node: the old encoding in i_block[0], else the new one in i_block[1]; as glibc's makedev.
    private ulong DeviceNumber()
    {
        uint major, minor;
        if (_inode.Block[0] != 0) { major = (_inode.Block[0] >> 8) & 0xff; minor = _inode.Block[0] & 0xff; }
        else { uint n = _inode.Block[1]; major = (n & 0xfff00) >> 8; minor = (n & 0xff) | ((n >> 12) & 0xfff00); }
        return ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
    }
}
