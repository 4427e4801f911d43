using System;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Fs.Ext2;

// Directory entries added and removed the ext2 way: a new entry takes the slack of an entry whose record is longer
// than it needs (splitting the record) or a new block at the directory's end; a removed entry is merged into the
// record before it (or, first in its block, marked unused). Records never cross a block. Any change clears the
// htree flag (an index the driver does not keep is dropped, as Linux's old ext2 did). Caller: this node is a
// directory of a read-write mount; CPU's thread; each block is checked entry by entry before it is changed.
public sealed partial class Ext2Node
{
    private const uint IndexFlag = 0x1000;       // EXT2_INDEX_FL: the directory has an htree index

    // Where an entry was found: the directory block (logical and on disk, its bytes in `block`), the entry's offset
    // and the offset of the entry before it in the block (-1: it is the first).
    private record struct Place(uint Physical, int Offset, int Previous, uint Inode);

    /// <summary>Finds <paramref name="name"/>: 0 with its place (the block's bytes in <paramref name="block"/>), -ENOENT, -EUCLEAN, -EIO.</summary>
    private int Find(ReadOnlySpan<byte> name, byte[] block, out Place place)
    {
        place = default;
        int bs = _fs.Super.BlockSize;
        if (_inode.Size % bs != 0) return -Errno.EUCLEAN;
        for (long logical = 0; logical < _inode.Size / bs; logical++)
        {
            int r = LoadDirectoryBlock(logical, block, out uint physical);
            if (r < 0) return r;
            for (int off = 0, previous = -1; off < bs;)
            {
                r = DirectoryEntry.Parse(block, off, _fs.Super.InodesCount, out var e);
                if (r < 0) return r;
                if (e.Inode != 0 && block.AsSpan(off + DirectoryEntry.HeaderSize, e.NameLength).SequenceEqual(name))
                {
                    place = new Place(physical, off, previous, e.Inode);
                    return 0;
                }
                previous = off;
                off += e.Length;
            }
        }
        return -Errno.ENOENT;
    }

    private int LoadDirectoryBlock(long logical, byte[] block, out uint physical)
    {
        long at = Map(logical);
        physical = at > 0 ? (uint)at : 0;
        if (at <= 0) return at < 0 ? (int)at : -Errno.EUCLEAN;     // a hole in a directory is corruption
        return _fs.ReadBlock(physical, 0, block);
    }

    /// <summary>Adds the entry <paramref name="name"/> → <paramref name="inode"/> (of S_IF* <paramref name="type"/>); the caller checked the name is free.</summary>
    internal int AddEntry(ReadOnlySpan<byte> name, uint inode, uint type)
    {
        int bs = _fs.Super.BlockSize, needed = DirectoryEntry.Needed(name.Length);
        byte code = (_fs.Super.Incompat & Superblock.IncompatFiletype) != 0 ? DirectoryEntry.CodeOf(type) : (byte)0;
        var block = new byte[bs];
        if (_inode.Size % bs != 0) return -Errno.EUCLEAN;
        int r;
        for (long logical = 0; logical < _inode.Size / bs; logical++)
        {
            r = LoadDirectoryBlock(logical, block, out uint physical);
            if (r < 0) return r;
            for (int off = 0; off < bs;)
            {
                r = DirectoryEntry.Parse(block, off, _fs.Super.InodesCount, out var e);
                if (r < 0) return r;
                if (e.Length - e.Used >= needed)
                {
                    int at = off;
                    if (e.Inode != 0)
                    {
                        Superblock.Put16(block, off + 4, (uint)e.Used);       // the old entry keeps what it needs
                        at = off + e.Used;
                    }
                    DirectoryEntry.Write(block, at, inode, e.Length - (at - off), name, code);
                    return Changed(_fs.WriteBlock(physical, 0, block));
                }
                off += e.Length;
            }
        }
        long fresh = MapForWrite(_inode.Size / bs, out _);
        if (fresh < 0) return (int)fresh;
        Array.Clear(block);
        DirectoryEntry.Write(block, 0, inode, bs, name, code);
        r = _fs.WriteBlock((uint)fresh, 0, block);
        if (r == 0) _inode.Size += bs;
        return Changed(r);
    }

    /// <summary>Removes the entry <paramref name="name"/>: 0 (its inode in <paramref name="inode"/>), -ENOENT, -EUCLEAN, -EIO.</summary>
    internal int RemoveEntry(ReadOnlySpan<byte> name, out uint inode)
    {
        var block = new byte[_fs.Super.BlockSize];
        int r = Find(name, block, out Place place);
        inode = place.Inode;
        if (r < 0) return r;
        if (place.Previous < 0) Superblock.Put32(block, place.Offset, 0);
        else
        {
            uint merged = Superblock.U16(block, place.Previous + 4) + (uint)Superblock.U16(block, place.Offset + 4);
            Superblock.Put16(block, place.Previous + 4, merged);
        }
        return Changed(_fs.WriteBlock(place.Physical, 0, block));
    }

    /// <summary>Points the existing entry <paramref name="name"/> at <paramref name="inode"/> of <paramref name="type"/> (rename over a name).</summary>
    internal int ReplaceEntry(ReadOnlySpan<byte> name, uint inode, uint type)
    {
        var block = new byte[_fs.Super.BlockSize];
        int r = Find(name, block, out Place place);
        if (r < 0) return r;
        Superblock.Put32(block, place.Offset, inode);
        if ((_fs.Super.Incompat & Superblock.IncompatFiletype) != 0) block[place.Offset + 7] = DirectoryEntry.CodeOf(type);
        return Changed(_fs.WriteBlock(place.Physical, 0, block));
    }

    /// <summary>True (1) if the directory holds nothing but "." and "..", 0 if it holds more, or a negated errno.</summary>
    internal int IsEmpty()
    {
        var cursor = new DirectoryCursor(_fs, this, 0);
        int r;
        while ((r = cursor.Next()) > 0)
        {
            var n = cursor.Name;
            if (!(n.Length == 1 && n[0] == '.') && !(n.Length == 2 && n[0] == '.' && n[1] == '.')) return 0;
        }
        return r < 0 ? r : 1;
    }

    // The directory's contents changed: stamp it, drop any htree index, store the inode.
    private int Changed(int r)
    {
        if (r < 0) return r;
        _inode.Flags &= ~IndexFlag;
        _inode.ModifyTime = _inode.ChangeTime = _fs.Now;
        return _fs.WriteInode(this);
    }
}
