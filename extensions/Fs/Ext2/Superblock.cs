using System;
using System.Buffers.Binary;

namespace Spindle.Extensions.Fs.Ext2;

// The ext2 superblock (1024 bytes at byte 1024 of the disk) as this driver reads it, and the checks that make
// every later computation safe: a superblock that passes Parse has a block size of 1, 2 or 4 KiB, group sizes
// that fit one bitmap block, counts consistent with each other and with the disk, and only features this driver
// implements (or the mount is refused naming the first one it does not).

/// <summary>The fields of an ext2 superblock this driver uses, checked.</summary>
public sealed class Superblock
{
    /// <summary>Where the superblock is, and its length.</summary>
    public const int Offset = 1024, Size = 1024;

    /// <summary>s_magic.</summary>
    public const ushort Magic = 0xEF53;

    /// <summary>Incompatible feature: directory entries carry the file type.</summary>
    public const uint IncompatFiletype = 0x2;

    /// <summary>Read-only-compatible features this driver reads: sparse_super, large_file.</summary>
    public const uint RoCompatKnown = 0x1 | 0x2;

    /// <summary>s_inodes_count, s_blocks_count, s_free_blocks_count, s_free_inodes_count, s_first_data_block.</summary>
    public uint InodesCount, BlocksCount, FreeBlocks, FreeInodes, FirstDataBlock;

    /// <summary>Block size in bytes (1024 &lt;&lt; s_log_block_size).</summary>
    public int BlockSize;

    /// <summary>s_blocks_per_group, s_inodes_per_group.</summary>
    public uint BlocksPerGroup, InodesPerGroup;

    /// <summary>Bytes per on-disk inode (128 for revision 0).</summary>
    public int InodeSize;

    /// <summary>s_first_ino: the first inode number not reserved (11 for revision 0).</summary>
    public uint FirstInode;

    /// <summary>s_rev_level, the feature sets.</summary>
    public uint Revision, Compat, Incompat, RoCompat;

    /// <summary>Number of block groups.</summary>
    public uint Groups;

    /// <summary>Read-only-compatible features present that this driver does not implement (0: none).</summary>
    public uint RoCompatUnknown => RoCompat & ~RoCompatKnown;

    /// <summary>
    /// Reads and checks the superblock in <paramref name="raw"/> (1024 bytes) for a disk of <paramref name="diskBytes"/>.
    /// Returns null and why in <paramref name="reason"/> if this driver cannot mount it.
    /// </summary>
    public static Superblock? Parse(ReadOnlySpan<byte> raw, long diskBytes, out string? reason)
    {
        reason = null;
        var s = new Superblock();
        if (U16(raw, 56) != Magic) { reason = "not an ext2 file system (bad magic number)"; return null; }
        uint log = U32(raw, 24);
        if (log > 2) { reason = "block size larger than 4096 bytes is not supported"; return null; }
        s.BlockSize = 1024 << (int)log;
        s.InodesCount = U32(raw, 0);
        s.BlocksCount = U32(raw, 4);
        s.FreeBlocks = U32(raw, 12);
        s.FreeInodes = U32(raw, 16);
        s.FirstDataBlock = U32(raw, 20);
        s.BlocksPerGroup = U32(raw, 32);
        s.InodesPerGroup = U32(raw, 40);
        s.Revision = U32(raw, 76);
        if (s.Revision > 1) { reason = "revision " + s.Revision + " is not supported"; return null; }
        s.InodeSize = s.Revision == 0 ? 128 : U16(raw, 88);
        s.FirstInode = s.Revision == 0 ? 11 : U32(raw, 84);
        s.Compat = s.Revision == 0 ? 0 : U32(raw, 92);
        s.Incompat = s.Revision == 0 ? 0 : U32(raw, 96);
        s.RoCompat = s.Revision == 0 ? 0 : U32(raw, 100);

        uint incompatUnknown = s.Incompat & ~IncompatFiletype;
        if (incompatUnknown != 0) { reason = "unsupported feature: " + IncompatName(incompatUnknown); return null; }
        if ((s.RoCompat & 0x200) != 0) { reason = "unsupported feature: bigalloc"; return null; }
        if ((s.RoCompat & 0x8) != 0) { reason = "unsupported feature: huge_file"; return null; }
        if (s.InodeSize < 128 || s.InodeSize > s.BlockSize || (s.InodeSize & (s.InodeSize - 1)) != 0)
        { reason = "bad inode size " + s.InodeSize; return null; }
        if (s.FirstDataBlock != (s.BlockSize == 1024 ? 1u : 0u)) { reason = "bad first data block " + s.FirstDataBlock; return null; }
        uint bitsPerBlock = (uint)s.BlockSize * 8;
        if (s.BlocksPerGroup == 0 || s.BlocksPerGroup > bitsPerBlock) { reason = "bad blocks per group " + s.BlocksPerGroup; return null; }
        if (s.InodesPerGroup == 0 || s.InodesPerGroup > bitsPerBlock) { reason = "bad inodes per group " + s.InodesPerGroup; return null; }
        if (s.BlocksCount <= s.FirstDataBlock) { reason = "bad block count " + s.BlocksCount; return null; }
        if ((long)s.BlocksCount * s.BlockSize > diskBytes)
        { reason = "the file system (" + s.BlocksCount + " blocks) is larger than the disk"; return null; }
        s.Groups = (uint)(((long)s.BlocksCount - s.FirstDataBlock + s.BlocksPerGroup - 1) / s.BlocksPerGroup);
        if (s.InodesCount == 0 || s.InodesCount > (long)s.Groups * s.InodesPerGroup)
        { reason = "bad inode count " + s.InodesCount; return null; }
        if (s.FirstInode < 11 || s.FirstInode > s.InodesCount) { reason = "bad first inode " + s.FirstInode; return null; }
        long descriptorBlocks = ((long)s.Groups * Group.Size + s.BlockSize - 1) / s.BlockSize;
        if (s.FirstDataBlock + 1 + descriptorBlocks > s.BlocksCount) { reason = "the group descriptors do not fit"; return null; }
        return s;
    }

    /// <summary>The name of the lowest incompatible feature bit in <paramref name="bits"/>.</summary>
    public static string IncompatName(uint bits)
    {
        uint bit = bits & (~bits + 1);
        switch (bit)
        {
            case 0x1: return "compression";
            case 0x4: return "needs_recovery";
            case 0x8: return "journal_dev";
            case 0x10: return "meta_bg";
            case 0x40: return "extents";
            case 0x80: return "64bit";
            case 0x100: return "mmp";
            case 0x200: return "flex_bg";
            case 0x400: return "ea_inode";
            case 0x1000: return "dirdata";
            case 0x2000: return "metadata_csum_seed";
            case 0x4000: return "large_dir";
            case 0x8000: return "inline_data";
            case 0x10000: return "encrypt";
            case 0x20000: return "casefold";
            default: return "incompatible feature 0x" + bit.ToString("x");
        }
    }

    /// <summary>Blocks of the group descriptor table.</summary>
    public uint DescriptorBlocks => (uint)(((long)Groups * Group.Size + BlockSize - 1) / BlockSize);

    /// <summary>Blocks in group <paramref name="group"/> (the last group may be short).</summary>
    public uint BlocksInGroup(uint group) => Math.Min(BlocksPerGroup, BlocksCount - FirstDataBlock - group * BlocksPerGroup);

    internal static void Put16(Span<byte> b, int at, uint v) => BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(at, 2), (ushort)v);
    internal static void Put32(Span<byte> b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(at, 4), v);
    internal static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(at, 2));
    internal static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at, 4));
}

/// <summary>One block group descriptor (32 bytes): where its bitmaps and inode table are, and its free counts.</summary>
public sealed class Group(uint blockBitmap, uint inodeBitmap, uint inodeTable)
{
    /// <summary>Bytes per descriptor.</summary>
    public const int Size = 32;

    /// <summary>bg_block_bitmap.</summary>
    public uint BlockBitmap { get; } = blockBitmap;

    /// <summary>bg_inode_bitmap.</summary>
    public uint InodeBitmap { get; } = inodeBitmap;

    /// <summary>bg_inode_table.</summary>
    public uint InodeTable { get; } = inodeTable;

    /// <summary>bg_free_blocks_count, bg_free_inodes_count, bg_used_dirs_count (as on disk; kept by the allocator).</summary>
    public uint FreeBlocks, FreeInodes, UsedDirectories;
}
