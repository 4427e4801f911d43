using System;
using Spindle.Sdk.Block;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Fs.Ext2;

// Block and inode allocation: one bit per block (per inode) in each group's bitmap, and the free counts kept in
// three places that must agree: the bitmap, the group descriptor (bg_free_blocks_count, bg_free_inodes_count,
// bg_used_dirs_count) and the superblock (s_free_blocks_count, s_free_inodes_count). Every change stores all of
// them in the cache at once, so the blocks written back at a sync always agree. Caller: a read-write mount (the
// writes answer -EROFS otherwise), CPU's thread.
public sealed partial class Ext2FileSystem
{
    /// <summary>
    /// Takes a free block, searching from <paramref name="goal"/> (the block after the file's last, to keep files
    /// together) through the following groups: the block number, or -ENOSPC, -EUCLEAN (a bitmap that offers a
    /// block of the group's own metadata), -EIO as a negative.
    /// </summary>
    public long AllocateBlock(uint goal)
    {
        if (!InRange(goal)) goal = Super.FirstDataBlock;
        uint first = (goal - Super.FirstDataBlock) / Super.BlocksPerGroup;
        for (uint i = 0; i < Super.Groups; i++)
        {
            uint g = (first + i) % Super.Groups;
            if (_groups[g].FreeBlocks == 0) continue;
            uint from = i == 0 ? (goal - Super.FirstDataBlock) % Super.BlocksPerGroup : 0;
            long bit = TakeBit(_groups[g].BlockBitmap, from, Super.BlocksInGroup(g));
            if (bit == -Errno.ENOSPC) continue;
            if (bit < 0) return bit;
            uint block = Super.FirstDataBlock + g * Super.BlocksPerGroup + (uint)bit;
            if (IsMetadata(g, block)) return -Errno.EUCLEAN;
            int r = Count(g, blocks: -1, inodes: 0, directories: 0);
            return r < 0 ? r : block;
        }
        return -Errno.ENOSPC;
    }

    /// <summary>Gives <paramref name="block"/> back: 0, or -EUCLEAN if it is out of range or already free.</summary>
    public int FreeBlock(uint block)
    {
        if (!InRange(block)) return -Errno.EUCLEAN;
        uint g = (block - Super.FirstDataBlock) / Super.BlocksPerGroup;
        if (IsMetadata(g, block)) return -Errno.EUCLEAN;
        int r = ClearBit(_groups[g].BlockBitmap, (block - Super.FirstDataBlock) % Super.BlocksPerGroup);
        return r < 0 ? r : Count(g, blocks: 1, inodes: 0, directories: 0);
    }

    /// <summary>
    /// Takes a free inode number: a directory goes to the group with the most free inodes (spreading the tree), any
    /// other object near <paramref name="parent"/>. The number, or -ENOSPC, -EIO as a negative.
    /// </summary>
    public long AllocateInode(uint parent, bool directory)
    {
        uint first = (parent - 1) / Super.InodesPerGroup;
        if (directory)
            for (uint g = 0; g < Super.Groups; g++)
                if (_groups[g].FreeInodes > _groups[first].FreeInodes) first = g;
        for (uint i = 0; i < Super.Groups; i++)
        {
            uint g = (first + i) % Super.Groups;
            if (_groups[g].FreeInodes == 0) continue;
            uint reserved = g == 0 ? Super.FirstInode - 1 : 0;       // inodes 1 .. s_first_ino-1 are never handed out
            uint inodes = Math.Min(Super.InodesPerGroup, Super.InodesCount - g * Super.InodesPerGroup);
            long bit = TakeBit(_groups[g].InodeBitmap, reserved, inodes, wrap: false);
            if (bit == -Errno.ENOSPC) continue;
            if (bit < 0) return bit;
            int r = Count(g, blocks: 0, inodes: -1, directories: directory ? 1 : 0);
            return r < 0 ? r : g * Super.InodesPerGroup + bit + 1;
        }
        return -Errno.ENOSPC;
    }

    /// <summary>Gives inode <paramref name="number"/> back: 0, or -EUCLEAN if it is reserved or already free.</summary>
    public int FreeInode(uint number, bool directory)
    {
        if (number < Super.FirstInode || number > Super.InodesCount) return -Errno.EUCLEAN;
        uint g = (number - 1) / Super.InodesPerGroup;
        int r = ClearBit(_groups[g].InodeBitmap, (number - 1) % Super.InodesPerGroup);
        if (r < 0) return r;
        Forget(number);
        return Count(g, blocks: 0, inodes: 1, directories: directory && _groups[g].UsedDirectories > 0 ? -1 : 0);
    }

    // True if `block` (of group g) holds the group's bitmaps or inode table, or group 0's superblock and
    // descriptors: blocks a corrupt bitmap might offer that must never become data.
    private bool IsMetadata(uint g, uint block)
    {
        var d = _groups[g];
        long tableBlocks = ((long)Super.InodesPerGroup * Super.InodeSize + Super.BlockSize - 1) / Super.BlockSize;
        return block == d.BlockBitmap || block == d.InodeBitmap || (block >= d.InodeTable && block < d.InodeTable + tableBlocks)
            || block <= Super.FirstDataBlock + Super.DescriptorBlocks;
    }

    // Finds a clear bit in bitmap block `bitmap` among bits [0, limit), from `from` (wrapping to 0 if `wrap`), sets
    // it: the bit, or -ENOSPC, -EUCLEAN, -EIO.
    private long TakeBit(uint bitmap, uint from, uint limit, bool wrap = true)
    {
        if (!InRange(bitmap)) return -Errno.EUCLEAN;
        if (ReadOnly) return -Errno.EROFS;
        long at = (long)bitmap * Super.BlockSize;
        int r = _cache.Read(_disk, at / IBufferCache.BlockSize, out CacheBlock cached);
        if (r < 0) return r;
        var bits = cached.Data.Slice((int)(at % IBufferCache.BlockSize), Super.BlockSize);
        long found = FindClear(bits, from, limit);
        if (found < 0 && wrap && from > 0) found = FindClear(bits, 0, Math.Min(from, limit));
        if (found >= 0)
        {
            bits[(int)(found >> 3)] |= (byte)(1 << (int)(found & 7));
            r = _cache.MarkDirty(cached);
        }
        _cache.Release(cached);
        return r < 0 ? r : found >= 0 ? found : -Errno.ENOSPC;
    }

    // The first clear bit in [from, limit) of `bits`, or -1; whole bytes of ones are skipped.
    private static long FindClear(ReadOnlySpan<byte> bits, uint from, uint limit)
    {
        for (uint i = from; i < limit;)
        {
            byte b = bits[(int)(i >> 3)];
            if ((i & 7) == 0 && b == 0xff) { i += 8; continue; }
            if ((b & (1 << (int)(i & 7))) == 0) return i;
            i++;
        }
        return -1;
    }

    // Clears bit `bit` of bitmap block `bitmap`: 0, or -EUCLEAN if it was clear (a double free: the image lies).
    private int ClearBit(uint bitmap, uint bit)
    {
        if (!InRange(bitmap)) return -Errno.EUCLEAN;
        var one = new byte[1];
        int r = ReadBlock(bitmap, (int)(bit >> 3), one);
        if (r < 0) return r;
        byte mask = (byte)(1 << (int)(bit & 7));
        if ((one[0] & mask) == 0) return -Errno.EUCLEAN;
        one[0] &= (byte)~mask;
        return WriteBlock(bitmap, (int)(bit >> 3), one);
    }

    // Moves group g's and the superblock's free counts by the deltas and stores both.
    private int Count(uint g, int blocks, int inodes, int directories)
    {
        var d = _groups[g];
        d.FreeBlocks = (uint)(d.FreeBlocks + blocks);
        d.FreeInodes = (uint)(d.FreeInodes + inodes);
        d.UsedDirectories = (uint)(d.UsedDirectories + directories);
        Super.FreeBlocks = (uint)(Super.FreeBlocks + blocks);
        Super.FreeInodes = (uint)(Super.FreeInodes + inodes);
        Span<byte> counts = stackalloc byte[6];
        Superblock.Put16(counts, 0, d.FreeBlocks);
        Superblock.Put16(counts, 2, d.FreeInodes);
        Superblock.Put16(counts, 4, d.UsedDirectories);
        int r = WriteBytes(((long)Super.FirstDataBlock + 1) * Super.BlockSize + (long)g * Group.Size + 12, counts);
        if (r == 0 && blocks != 0) r = WriteSuper32(12, Super.FreeBlocks);
        if (r == 0 && inodes != 0) r = WriteSuper32(16, Super.FreeInodes);
        return r;
    }
}
