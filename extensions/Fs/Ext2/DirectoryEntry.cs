using System;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Fs.Ext2;

/// <summary>
/// One ext2 directory entry in a directory block: inode (4 bytes), record length (2), name length (1), file type
/// (1, with the filetype feature), the name, padding to 4 bytes. <see cref="Parse"/> is the one check every reader
/// and writer of entries uses before trusting one.
/// </summary>
public readonly ref struct DirectoryEntry
{
    /// <summary>Bytes before the name.</summary>
    public const int HeaderSize = 8;

    /// <summary>The longest name.</summary>
    public const int MaxName = 255;

    /// <summary>The entry's inode (0: unused space), record length and name length.</summary>
    public readonly uint Inode;

    /// <inheritdoc cref="Inode"/>
    public readonly int Length, NameLength;

    private DirectoryEntry(uint inode, int length, int nameLength)
    {
        Inode = inode;
        Length = length;
        NameLength = nameLength;
    }

    /// <summary>Bytes an entry with a name of <paramref name="nameLength"/> needs (a record length's minimum).</summary>
    public static int Needed(int nameLength) => (HeaderSize + nameLength + 3) & ~3;

    /// <summary>Bytes the entry uses of its record (0 for unused space).</summary>
    public int Used => Inode == 0 ? 0 : Needed(NameLength);

    /// <summary>
    /// Reads the entry at <paramref name="offset"/> of <paramref name="block"/> (one file-system block): 0, or
    /// -EUCLEAN if its record length is not a multiple of 4, is shorter than its name or runs past the block, or its
    /// inode is past <paramref name="inodes"/>, or a used entry has no name.
    /// </summary>
    public static int Parse(ReadOnlySpan<byte> block, int offset, uint inodes, out DirectoryEntry entry)
    {
        entry = default;
        if (offset + HeaderSize > block.Length) return -Errno.EUCLEAN;
        uint inode = Superblock.U32(block, offset);
        int length = Superblock.U16(block, offset + 4), nameLength = block[offset + 6];
        if (length < HeaderSize || length % 4 != 0 || offset + length > block.Length) return -Errno.EUCLEAN;
        if (inode != 0 && (HeaderSize + nameLength > length || nameLength == 0 || inode > inodes)) return -Errno.EUCLEAN;
        entry = new DirectoryEntry(inode, length, nameLength);
        return 0;
    }

    /// <summary>Writes an entry at <paramref name="offset"/> of <paramref name="block"/>.</summary>
    public static void Write(Span<byte> block, int offset, uint inode, int length, ReadOnlySpan<byte> name, byte type)
    {
        Superblock.Put32(block, offset, inode);
        Superblock.Put16(block, offset + 4, (uint)length);
        block[offset + 6] = (byte)name.Length;
        block[offset + 7] = type;
        name.CopyTo(block[(offset + HeaderSize)..]);
    }

    /// <summary>The S_IF* bits of a directory entry's file_type (0: unknown, read the inode).</summary>
    public static uint TypeOf(byte t) => t switch
    {
        1 => 0x8000, 2 => 0x4000, 3 => 0x2000, 4 => 0x6000, 5 => 0x1000, 6 => 0xc000, 7 => 0xa000, _ => 0,
    };

    /// <summary>The file_type code of S_IF* bits <paramref name="type"/> (the inverse of <see cref="TypeOf"/>).</summary>
    public static byte CodeOf(uint type) => type switch
    {
        0x8000 => 1, 0x4000 => 2, 0x2000 => 3, 0x6000 => 4, 0x1000 => 5, 0xc000 => 6, 0xa000 => 7, _ => 0,
    };
}
