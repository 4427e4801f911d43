using System;

namespace Spindle.Extensions.Fs.Ext2;

/// <summary>
/// One on-disk inode as this driver reads it (the first 128 bytes of the record: the same in revisions 0 and 1).
/// Parsed once per read; the block pointers are checked when used, not here. <see cref="Store"/> writes the fields
/// back into the whole record as read (<see cref="Raw"/>), so bytes this driver does not interpret are kept.
/// </summary>
public sealed class Inode
{
    /// <summary>Bytes of the record this driver reads.</summary>
    public const int RecordBytes = 128;

    /// <summary>Pointers in i_block: 12 direct, then single, double and triple indirect.</summary>
    public const int Direct = 12, SingleIndirect = 12, DoubleIndirect = 13, TripleIndirect = 14, Pointers = 15;

    /// <summary>i_mode (type and permission bits).</summary>
    public uint Mode;

    /// <summary>Owner and group (low and high halves joined).</summary>
    public uint Uid, Gid;

    /// <summary>Length in bytes.</summary>
    public long Size;

    /// <summary>Times in seconds since the epoch (DeleteTime: i_dtime, set when the inode is freed).</summary>
    public long AccessTime, ChangeTime, ModifyTime, DeleteTime;

    /// <summary>The whole on-disk record (the inode size), as last read or stored.</summary>
    public byte[] Raw = [];

    /// <summary>i_links_count.</summary>
    public uint Links;

    /// <summary>i_blocks: 512-byte units the object holds on disk (data, indirect and extended-attribute blocks).</summary>
    public uint Sectors;

    /// <summary>i_flags, i_file_acl (the extended-attribute block, or 0), i_generation.</summary>
    public uint Flags, FileAcl, Generation;

    /// <summary>i_block: the block pointers (or a fast symlink's text, or a device number).</summary>
    public readonly uint[] Block = new uint[Pointers];

    /// <summary>The 60 bytes of i_block as stored (a fast symlink's text).</summary>
    public readonly byte[] BlockBytes = new byte[Pointers * 4];

    /// <summary>The type bits (S_IFMT) of <see cref="Mode"/>.</summary>
    public uint Type => Mode & 0xf000;

    /// <summary>Reads the record <paramref name="raw"/> (at least <see cref="RecordBytes"/> bytes) into this object.</summary>
    public void Parse(ReadOnlySpan<byte> raw, bool largeFiles)
    {
        Raw = raw.ToArray();
        Mode = Superblock.U16(raw, 0);
        Uid = Superblock.U16(raw, 2) | ((uint)Superblock.U16(raw, 120) << 16);
        Gid = Superblock.U16(raw, 24) | ((uint)Superblock.U16(raw, 122) << 16);
        ulong size = Superblock.U32(raw, 4);
        if (largeFiles && Type == 0x8000) size |= (ulong)Superblock.U32(raw, 108) << 32;
        Size = size > long.MaxValue ? -1 : (long)size;
        AccessTime = Superblock.U32(raw, 8);
        ChangeTime = Superblock.U32(raw, 12);
        ModifyTime = Superblock.U32(raw, 16);
        DeleteTime = Superblock.U32(raw, 20);
        Links = Superblock.U16(raw, 26);
        Sectors = Superblock.U32(raw, 28);
        Flags = Superblock.U32(raw, 32);
        FileAcl = Superblock.U32(raw, 104);
        Generation = Superblock.U32(raw, 100);
        raw.Slice(40, Pointers * 4).CopyTo(BlockBytes);
        for (int i = 0; i < Pointers; i++) Block[i] = Superblock.U32(raw, 40 + 4 * i);
    }

    /// <summary>Writes the fields into <see cref="Raw"/> (the high size word only for regular files) and returns it.</summary>
    public byte[] Store()
    {
        var raw = Raw.AsSpan();
        Superblock.Put16(raw, 0, Mode);
        Superblock.Put16(raw, 2, Uid & 0xffff);
        Superblock.Put16(raw, 120, Uid >> 16);
        Superblock.Put16(raw, 24, Gid & 0xffff);
        Superblock.Put16(raw, 122, Gid >> 16);
        Superblock.Put32(raw, 4, (uint)Size);
        Superblock.Put32(raw, 108, Type == 0x8000 ? (uint)((ulong)Size >> 32) : 0);
        Superblock.Put32(raw, 8, (uint)AccessTime);
        Superblock.Put32(raw, 12, (uint)ChangeTime);
        Superblock.Put32(raw, 16, (uint)ModifyTime);
        Superblock.Put32(raw, 20, (uint)DeleteTime);
        Superblock.Put16(raw, 26, Links);
        Superblock.Put32(raw, 28, Sectors);
        Superblock.Put32(raw, 32, Flags);
        Superblock.Put32(raw, 100, Generation);
        for (int i = 0; i < Pointers; i++) Superblock.Put32(raw, 40 + 4 * i, Block[i]);
        raw.Slice(40, Pointers * 4).CopyTo(BlockBytes);
        return Raw;
    }

    /// <summary>Sets i_block's 60 bytes (a fast symlink's text, zero-padded) and the pointers they read as.</summary>
    public void SetBlockBytes(ReadOnlySpan<byte> text)
    {
        Array.Clear(BlockBytes);
        text.CopyTo(BlockBytes);
        for (int i = 0; i < Pointers; i++) Block[i] = Superblock.U32(BlockBytes, 4 * i);
    }
}
