using System;
using System.Collections.Generic;
using Spindle.Sdk.Block;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Fs.Ext2;

/// <summary>
/// A mounted ext2 file system (read-only) over one disk of the buffer cache.
/// <para>
/// Contract. Mounted by <see cref="Mount"/>, which refuses (with a reason) a superblock or group descriptor
/// table that is inconsistent, and features it does not implement. Everything read later is checked before it
/// is used: an inode number, a block pointer, a directory entry or a size that cannot be right makes the
/// operation answer -EUCLEAN (the kernel's "structure needs cleaning"); a disk error answers -EIO. Nothing is
/// ever written. CPU's thread only, one call at a time (the VFS contract).
/// </para>
/// </summary>
public sealed class Ext2FileSystem : IFileSystem
{
    /// <summary>statfs's f_type for ext2.</summary>
    public const long Magic = 0xEF53;

    /// <summary>Most block groups this driver mounts (a larger count is a corrupt or very large file system).</summary>
    public const uint MaxGroups = 1 << 16;

    private readonly IBufferCache _cache;
    private readonly int _disk;
    private readonly Group[] _groups;
    private readonly Dictionary<uint, Ext2Node> _nodes = [];
    private readonly byte[] _record;

    private Ext2FileSystem(IBufferCache cache, int disk, Superblock sb, Group[] groups)
    {
        _cache = cache;
        _disk = disk;
        Super = sb;
        _groups = groups;
        _record = new byte[sb.InodeSize];
        Device = 0xfe00 + 16 * (ulong)disk;          // makedev(254, 16 × n): virtio disk n
        PointersPerBlock = (uint)sb.BlockSize / 4;
    }

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
    /// Mounts disk <paramref name="disk"/> of <paramref name="cache"/> read-only. Returns the file system, or a
    /// refusal naming why (not ext2, an unsupported feature, an inconsistent superblock or descriptor table).
    /// </summary>
    public static MountResult Mount(IBufferCache cache, int disk)
    {
        int r = cache.GetDisk(disk, out DiskInfo info);
        if (r < 0) return MountResult.Refused(r, "no such disk");
        var raw = new byte[Superblock.Size];
        r = ReadBytes(cache, disk, Superblock.Offset, raw);
        if (r < 0) return MountResult.Refused(r, "cannot read the superblock");
        var sb = Superblock.Parse(raw, info.Sectors * BlockRequest.SectorSize, out string? reason);
        if (sb == null) return MountResult.Refused(-Errno.EINVAL, reason!);
        if (sb.Groups > MaxGroups) return MountResult.Refused(-Errno.EINVAL, "too many block groups (" + sb.Groups + ")");
        var groups = new Group[sb.Groups];
        var table = new byte[sb.Groups * Group.Size];
        r = ReadBytes(cache, disk, ((long)sb.FirstDataBlock + 1) * sb.BlockSize, table);
        if (r < 0) return MountResult.Refused(r, "cannot read the group descriptors");
        long tableBlocks = ((long)sb.InodesPerGroup * sb.InodeSize + sb.BlockSize - 1) / sb.BlockSize;
        for (int g = 0; g < groups.Length; g++)
        {
            var d = new Group(Superblock.U32(table, g * Group.Size), Superblock.U32(table, g * Group.Size + 4), Superblock.U32(table, g * Group.Size + 8));
            if (!InRange(sb, d.BlockBitmap) || !InRange(sb, d.InodeBitmap) || !InRange(sb, d.InodeTable)
                || d.InodeTable + tableBlocks > sb.BlocksCount)
                return MountResult.Refused(-Errno.EUCLEAN, "group " + g + ": descriptor points outside the file system");
            groups[g] = d;
        }
        var fs = new Ext2FileSystem(cache, disk, sb, groups);
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
    public int Sync() => 0;

    /// <summary>True if <paramref name="block"/> is a block of the file system's data area.</summary>
    public bool InRange(uint block) => InRange(Super, block);

    private static bool InRange(Superblock sb, uint block) => block >= sb.FirstDataBlock && block < sb.BlocksCount;

    /// <summary>The object of inode <paramref name="number"/> (one instance per inode): 0, -EUCLEAN (out of range, unused) or -EIO.</summary>
    public int Node(uint number, out Ext2Node? node)
    {
        if (_nodes.TryGetValue(number, out node)) return 0;
        var inode = new Inode();
        int r = ReadInode(number, inode);
        if (r < 0) return r;
        node = new Ext2Node(this, number, inode);
        _nodes.Add(number, node);
        return 0;
    }

    // Reads inode `number`'s record into `inode`.
    private int ReadInode(uint number, Inode inode)
    {
        if (number == 0 || number > Super.InodesCount) return -Errno.EUCLEAN;
        uint group = (number - 1) / Super.InodesPerGroup, index = (number - 1) % Super.InodesPerGroup;
        long at = (long)_groups[group].InodeTable * Super.BlockSize + (long)index * Super.InodeSize;
        int r = ReadBytes(_cache, _disk, at, _record);
        if (r < 0) return r;
        inode.Parse(_record, (Super.RoCompat & 0x2) != 0);
        if (inode.Mode == 0 || inode.Links == 0 || inode.Size < 0) return -Errno.EUCLEAN;   // free, deleted, or a size past 2^63
        return 0;
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
