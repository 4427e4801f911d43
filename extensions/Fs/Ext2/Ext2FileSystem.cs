using System;
using System.Collections.Generic;
using Spindle.Sdk.Block;
using Spindle.Sdk.Io;
using Spindle.Sdk.Time;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Fs.Ext2;

/// <summary>
/// A mounted ext2 file system over one disk of the buffer cache, read-only or read-write.
/// <para>
/// Contract. Mounted by <see cref="Mount"/>, which refuses (with a reason) a superblock or group descriptor
/// table that is inconsistent, and features it does not implement. Everything read later is checked before it
/// is used: an inode number, a block pointer, a directory entry or a size that cannot be right makes the
/// operation answer -EUCLEAN (the kernel's "structure needs cleaning"); a disk error answers -EIO. Changes are
/// made in the buffer cache's blocks (write-back): inodes, bitmaps, group descriptors and the superblock's free
/// counts are stored at each change, and <see cref="Sync"/> writes the disk's dirty blocks and flushes it. A
/// read-only mount never marks a block dirty. CPU's thread only, one call at a time (the VFS contract).
/// </para>
/// </summary>
public sealed partial class Ext2FileSystem : IFileSystem
{
    /// <summary>statfs's f_type for ext2.</summary>
    public const long Magic = 0xEF53;

    /// <summary>Most block groups this driver mounts (a larger count is a corrupt or very large file system).</summary>
    public const uint MaxGroups = 1 << 16;

    private readonly IBufferCache _cache;
    private readonly int _disk;
    private readonly Group[] _groups;
    private readonly IClock? _clock;
    private readonly byte[] _zeros;

    // The inode table: the current Ext2Node of each inode in use, at most MaxNodes (emptied when full). A node keeps
    // no state that is not stored in its inode record at each change (open counts are here, in _opens), so a node
    // that is not current, still held by someone, reads its record again at its next use and becomes current
    // (Ext2Node.Live); one whose inode was freed, or reused (i_generation differs), answers -ENOENT.
    private readonly Dictionary<uint, Ext2Node> _nodes = [];
    private readonly Dictionary<uint, int> _opens = [];
    private uint _generation;
    private const int MaxNodes = 4096;

    private Ext2FileSystem(IBufferCache cache, int disk, Superblock sb, Group[] groups, bool readOnly, IClock? clock)
    {
        _cache = cache;
        _disk = disk;
        Super = sb;
        _groups = groups;
        _clock = clock;
        _zeros = new byte[sb.BlockSize];
        ReadOnly = readOnly;
        Device = 0xfe00 + 16 * (ulong)disk;          // makedev(254, 16 × n): virtio disk n
        PointersPerBlock = (uint)sb.BlockSize / 4;
        long p = PointersPerBlock, mappable = (Inode.Direct + p + p * p + p * p * p) * sb.BlockSize;
        MaxSize = Math.Min(mappable, (1L << 41) - 1);   // i_blocks counts 512-byte units in 32 bits
    }

    /// <summary>True if nothing may be changed (the disk or the mount is read-only).</summary>
    public bool ReadOnly { get; }

    /// <summary>The largest file size (the block map's reach, and i_blocks' range).</summary>
    public long MaxSize { get; }

    /// <summary>The clock's time in seconds since the epoch (0 without a clock).</summary>
    public long Now => _clock is null ? 0 : _clock.RealtimeNanoseconds / 1_000_000_000;

    /// <summary>The checked superblock.</summary>
    public Superblock Super { get; }

    /// <summary>Block pointers per indirect block.</summary>
    public uint PointersPerBlock { get; }

    /// <summary>Why the last mount of this kind of file system was accepted with a warning, or null.</summary>
    public string? Warning { get; private set; }

    /// <inheritdoc/>
    public Vnode Root { get; private set; } = null!;

    /// <inheritdoc/>
    public ulong Device { get; }

    /// <summary>
    /// Mounts disk <paramref name="disk"/> of <paramref name="cache"/> (read-only unless <paramref name="readOnly"/> is
    /// false and the disk is writable; times from <paramref name="clock"/>). Returns the file system, or a refusal
    /// naming why (not ext2, an unsupported feature, an inconsistent superblock or descriptor table).
    /// </summary>
    public static MountResult Mount(IBufferCache cache, int disk, bool readOnly = true, IClock? clock = null)
    {
        int r = cache.GetDisk(disk, out DiskInfo info);
        if (r < 0) return MountResult.Refused(r, "no such disk");
        var raw = new byte[Superblock.Size];
        r = ReadBytes(cache, disk, Superblock.Offset, raw);
        if (r < 0) return MountResult.Refused(r, "cannot read the superblock");
        var sb = Superblock.Parse(raw, info.Sectors * BlockRequest.SectorSize, out string? reason);
        if (sb == null) return MountResult.Refused(-Errno.EINVAL, reason!);
        readOnly |= info.ReadOnly;
        if (!readOnly && sb.RoCompatUnknown != 0)
            return MountResult.Refused(-Errno.EROFS, "read-only compatible features 0x" + sb.RoCompatUnknown.ToString("x") + " are not implemented: mount read-only");
        if (sb.Groups > MaxGroups) return MountResult.Refused(-Errno.EINVAL, "too many block groups (" + sb.Groups + ")");
        var groups = new Group[sb.Groups];
        var table = new byte[sb.Groups * Group.Size];
        r = ReadBytes(cache, disk, ((long)sb.FirstDataBlock + 1) * sb.BlockSize, table);
        if (r < 0) return MountResult.Refused(r, "cannot read the group descriptors");
        long tableBlocks = ((long)sb.InodesPerGroup * sb.InodeSize + sb.BlockSize - 1) / sb.BlockSize;
        for (int g = 0; g < groups.Length; g++)
        {
            int at = g * Group.Size;
            var d = new Group(Superblock.U32(table, at), Superblock.U32(table, at + 4), Superblock.U32(table, at + 8))
            {
                FreeBlocks = Superblock.U16(table, at + 12), FreeInodes = Superblock.U16(table, at + 14), UsedDirectories = Superblock.U16(table, at + 16),
            };
            if (!InRange(sb, d.BlockBitmap) || !InRange(sb, d.InodeBitmap) || !InRange(sb, d.InodeTable)
                || d.InodeTable + tableBlocks > sb.BlocksCount)
                return MountResult.Refused(-Errno.EUCLEAN, "group " + g + ": descriptor points outside the file system");
            groups[g] = d;
        }
        var fs = new Ext2FileSystem(cache, disk, sb, groups, readOnly, clock);
        if (sb.RoCompatUnknown != 0) fs.Warning = "read-only compatible features 0x" + sb.RoCompatUnknown.ToString("x") + " are not implemented";
        r = fs.Node(2, out Ext2Node? root);
        if (r < 0) return MountResult.Refused(r, "cannot read the root directory's inode");
        if (!root!.IsDirectory) return MountResult.Refused(-Errno.EUCLEAN, "the root inode is not a directory");
        fs.Root = root;
        return MountResult.Of(fs);
    }

    /// <inheritdoc/>
    public int GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = new FileSystemStatistics
        {
            Type = Magic, BlockSize = Super.BlockSize, Blocks = Super.BlocksCount, FreeBlocks = Super.FreeBlocks,
            AvailableBlocks = Super.FreeBlocks, Files = Super.InodesCount, FreeFiles = Super.FreeInodes, NameMax = 255,
        };
        return 0;
    }

    /// <inheritdoc/>
    public int Sync() => ReadOnly ? 0 : _cache.Sync(_disk);

    /// <summary>True if <paramref name="block"/> is a block of the file system's data area.</summary>
    public bool InRange(uint block) => InRange(Super, block);

    private static bool InRange(Superblock sb, uint block) => block >= sb.FirstDataBlock && block < sb.BlocksCount;

    /// <summary>The object of inode <paramref name="number"/> (one instance per inode): 0, -EUCLEAN (out of range, unused) or -EIO.</summary>
    public int Node(uint number, out Ext2Node? node)
    {
        if (_nodes.TryGetValue(number, out node)) return 0;
        var inode = new Inode();
        int r = ReadLiveInode(number, inode);
        node = r < 0 ? null : Remember(new Ext2Node(this, number, inode));
        return r;
    }

    /// <summary>Reads inode <paramref name="number"/>'s record into <paramref name="inode"/>: 0, or -EUCLEAN if it is not in use (free, deleted, a size past 2^63).</summary>
    internal int ReadLiveInode(uint number, Inode inode)
    {
        int r = ReadInode(number, inode);
        if (r < 0) return r;
        return inode.Mode == 0 || (inode.Links == 0 && !IsOpen(number)) || inode.Size < 0 ? -Errno.EUCLEAN : 0;
    }

    /// <summary>Makes <paramref name="node"/> its inode's current object (the table is emptied when full).</summary>
    internal Ext2Node Remember(Ext2Node node)
    {
        if (_nodes.Count >= MaxNodes) _nodes.Clear();
        _nodes[node.Number] = node;
        return node;
    }

    /// <summary>True if <paramref name="node"/> is its inode's current object (its copy of the record is the latest).</summary>
    internal bool IsCurrent(Ext2Node node) => _nodes.TryGetValue(node.Number, out var current) && ReferenceEquals(current, node);

    // A freed inode leaves the table (its number may be reused).
    internal void Forget(uint number) => _nodes.Remove(number);

    /// <summary>A new i_generation: differs from the last, so a node of a freed inode never takes its reuse for itself.</summary>
    internal uint NextGeneration() => _generation = _generation == 0 ? (uint)Now | 1 : _generation + 1;

    /// <summary>Counts an open of inode <paramref name="number"/> (+1) or its release (-1); returns the opens left.</summary>
    internal int CountOpen(uint number, int delta)
    {
        _opens.TryGetValue(number, out int opens);
        opens += delta;
        if (opens > 0) _opens[number] = opens;
        else _opens.Remove(number);
        return opens;
    }

    /// <summary>True while inode <paramref name="number"/> is open (an unlinked inode lives until its last close).</summary>
    internal bool IsOpen(uint number) => _opens.ContainsKey(number);

    // Where inode `number`'s record is on the disk.
    private long InodeAt(uint number)
    {
        uint group = (number - 1) / Super.InodesPerGroup, index = (number - 1) % Super.InodesPerGroup;
        return (long)_groups[group].InodeTable * Super.BlockSize + (long)index * Super.InodeSize;
    }

    // Reads inode `number`'s record into `inode` (not checked for being in use).
    private int ReadInode(uint number, Inode inode)
    {
        if (number == 0 || number > Super.InodesCount) return -Errno.EUCLEAN;
        var record = new byte[Super.InodeSize];
        int r = ReadBytes(_cache, _disk, InodeAt(number), record);
        if (r < 0) return r;
        inode.Parse(record, (Super.RoCompat & 0x2) != 0);
        return 0;
    }

    /// <summary>Stores <paramref name="node"/>'s inode record in the cache: 0, -EROFS or -EIO.</summary>
    public int WriteInode(Ext2Node node)
    {
        if (node.Record.Size > int.MaxValue && node.Type == FileType.Regular && (Super.RoCompat & 0x2) == 0)
        {
            Super.RoCompat |= 0x2;                                      // large_file, set on first use as Linux does
            int f = WriteSuper32(100, Super.RoCompat);
            if (f < 0) return f;
        }
        return WriteBytes(InodeAt(node.Number), node.Record.Store());
    }

    /// <summary>Copies <paramref name="into"/>.Length bytes of block <paramref name="block"/> from <paramref name="offset"/>: 0, -EUCLEAN (out of range), -EIO.</summary>
    public int ReadBlock(uint block, int offset, Span<byte> into)
    {
        if (!InRange(block)) return -Errno.EUCLEAN;
        if (offset < 0 || offset + into.Length > Super.BlockSize) return -Errno.EINVAL;
        return ReadBytes(_cache, _disk, (long)block * Super.BlockSize + offset, into);
    }

    /// <summary>Entry <paramref name="index"/> of indirect block <paramref name="block"/>: 0 (a hole) or a checked block number; or -EUCLEAN/-EIO as a negative.</summary>
    public long Pointer(uint block, uint index)
    {
        Span<byte> four = stackalloc byte[4];
        int r = ReadBlock(block, (int)(index * 4), four);
        if (r < 0) return r;
        uint p = Superblock.U32(four, 0);
        return p == 0 || InRange(p) ? p : -Errno.EUCLEAN;
    }

    /// <summary>Stores <paramref name="data"/> in block <paramref name="block"/> from <paramref name="offset"/>: 0, -EUCLEAN (out of range), -EROFS, -EIO.</summary>
    public int WriteBlock(uint block, int offset, ReadOnlySpan<byte> data)
    {
        if (!InRange(block)) return -Errno.EUCLEAN;
        if (offset < 0 || offset + data.Length > Super.BlockSize) return -Errno.EINVAL;
        return WriteBytes((long)block * Super.BlockSize + offset, data);
    }

    /// <summary>Fills block <paramref name="block"/> with zeros (a new indirect, directory or partly written data block).</summary>
    public int ZeroBlock(uint block) => WriteBlock(block, 0, _zeros);

    /// <summary>Sets entry <paramref name="index"/> of indirect block <paramref name="block"/> to <paramref name="value"/>.</summary>
    public int SetPointer(uint block, uint index, uint value)
    {
        Span<byte> four = stackalloc byte[4];
        Superblock.Put32(four, 0, value);
        return WriteBlock(block, (int)(index * 4), four);
    }

    // Stores a 32-bit field of the superblock at `offset`.
    private int WriteSuper32(int offset, uint value)
    {
        Span<byte> four = stackalloc byte[4];
        Superblock.Put32(four, 0, value);
        return WriteBytes(Superblock.Offset + offset, four);
    }

    // Copies bytes to the disk at byte `at` through the cache: each block touched is marked dirty; a block written
    // whole is claimed, not read.
    private int WriteBytes(long at, ReadOnlySpan<byte> from)
    {
        if (ReadOnly) return -Errno.EROFS;
        while (from.Length > 0)
        {
            int within = (int)(at % IBufferCache.BlockSize), n = Math.Min(from.Length, IBufferCache.BlockSize - within);
            long index = at / IBufferCache.BlockSize;
            int r = n == IBufferCache.BlockSize ? _cache.Claim(_disk, index, out CacheBlock block) : _cache.Read(_disk, index, out block);
            if (r < 0) return r;
            from[..n].CopyTo(block.Data.Slice(within, n));
            r = _cache.MarkDirty(block);
            _cache.Release(block);
            if (r < 0) return r;
            from = from[n..];
            at += n;
        }
        return 0;
    }

    // Copies bytes from the disk at byte `at` through the cache (crossing cache blocks as needed).
    private static int ReadBytes(IBufferCache cache, int disk, long at, Span<byte> into)
    {
        while (into.Length > 0)
        {
            int r = cache.Read(disk, at / IBufferCache.BlockSize, out CacheBlock block);
            if (r < 0) return r;
            int within = (int)(at % IBufferCache.BlockSize), n = Math.Min(into.Length, IBufferCache.BlockSize - within);
            block.Data.Slice(within, n).CopyTo(into);
            cache.Release(block);
            into = into[n..];
            at += n;
        }
        return 0;
    }
}
