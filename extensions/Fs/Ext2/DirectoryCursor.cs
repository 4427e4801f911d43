using System;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Fs.Ext2;

/// <summary>
/// Walks a linear ext2 directory entry by entry from a byte offset (a readdir cookie: the offset of the entry to
/// give next). Each entry is checked before it is used: a record length that is not a multiple of 4, shorter than
/// its name, or running past its block, an inode number past the inode count, a hole in the directory, or a size
/// that is not whole blocks: -EUCLEAN. Entries with inode 0 (free space, a checksum tail) are skipped. An htree
/// (dir_index) directory reads correctly this way: its index blocks look like empty entries.
/// </summary>
public sealed class DirectoryCursor
{
    private readonly Ext2FileSystem _fs;
    private readonly Ext2Node _dir;
    private readonly byte[] _block;
    private long _loaded = -1;          // the logical block in _block, or -1
    private long _at;                   // offset of the next entry to look at
    private readonly long _from;        // entries before this offset are not given

    /// <summary>A cursor over <paramref name="dir"/> giving entries at or after byte <paramref name="from"/>.</summary>
    public DirectoryCursor(Ext2FileSystem fs, Ext2Node dir, long from)
    {
        _fs = fs;
        _dir = dir;
        _block = new byte[fs.Super.BlockSize];
        _from = from;
        _at = from - from % fs.Super.BlockSize;   // walk from the start of its block: a cookie is never trusted to be an entry's start
    }

    /// <summary>The current entry's inode number, name, S_IF* type (0 if the entry does not say) and the offset after it.</summary>
    public uint EntryInode { get; private set; }

    /// <inheritdoc cref="EntryInode"/>
    public ReadOnlySpan<byte> Name => _block.AsSpan(_nameAt, _nameLength);

    /// <inheritdoc cref="EntryInode"/>
    public uint EntryType { get; private set; }

    /// <inheritdoc cref="EntryInode"/>
    public long NextOffset => _at;

    private int _nameAt, _nameLength;

    /// <summary>Moves to the next entry in use: 1, 0 at the end, or a negated errno.</summary>
    public int Next()
    {
        int bs = _fs.Super.BlockSize;
        long size = _dir.Record.Size;
        if (size % bs != 0) return -Errno.EUCLEAN;
        while (_at < size)
        {
            long logical = _at / bs;
            if (logical != _loaded)
            {
                long physical = _dir.Map(logical);
                if (physical <= 0) return physical < 0 ? (int)physical : -Errno.EUCLEAN;
                int read = _fs.ReadBlock((uint)physical, 0, _block);
                if (read < 0) return read;
                _loaded = logical;
            }
            int off = (int)(_at % bs);
            int r = DirectoryEntry.Parse(_block, off, _fs.Super.InodesCount, out var entry);
            if (r < 0) return r;
            long here = _at;
            _at += entry.Length;
            if (entry.Inode == 0 || here < _from) continue;
            EntryInode = entry.Inode;
            _nameAt = off + DirectoryEntry.HeaderSize;
            _nameLength = entry.NameLength;
            EntryType = (_fs.Super.Incompat & Superblock.IncompatFiletype) != 0 ? DirectoryEntry.TypeOf(_block[off + 7]) : 0;
            return 1;
        }
        return 0;
    }
}
