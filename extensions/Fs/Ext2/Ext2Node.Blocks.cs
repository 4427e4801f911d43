using System;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Fs.Ext2;

// The block map changed: allocating a logical block (and the indirect blocks on its way) for a write, and freeing
// every block from a logical index on for a truncate, through direct, single, double and triple indirect blocks.
// Caller: a read-write mount, CPU's thread; the caller stores the inode afterwards (i_block and i_blocks change
// here; indirect blocks are stored as they change). Every pointer read is range-checked; the depth is fixed, so a
// corrupt map (a loop, a pointer shared by two places) ends in -EUCLEAN (a double free), never a hang.
public sealed partial class Ext2Node
{
    private uint _goal;     // where the next allocation starts looking: the block after this file's last

    /// <summary>
    /// The disk block of logical block <paramref name="logical"/>, allocated if missing (with any indirect block on
    /// the way, zeroed). <paramref name="fresh"/>: the data block is new (its old bytes are garbage). The block, or
    /// -EFBIG, -ENOSPC, -EUCLEAN, -EIO as a negative.
    /// </summary>
    internal long MapForWrite(long logical, out bool fresh)
    {
        fresh = false;
        long p = _fs.PointersPerBlock;
        if (logical < Ext2.Inode.Direct) return Ensure(ref _inode.Block[logical], data: true, ref fresh);
        logical -= Ext2.Inode.Direct;
        int levels = 1;
        for (long span = p; logical >= span; span *= p)
        {
            logical -= span;
            if (++levels > 3) return -Errno.EFBIG;
        }
        bool unused = false;
        long at = Ensure(ref _inode.Block[Ext2.Inode.SingleIndirect + levels - 1], data: false, ref unused);
        for (int level = levels; level > 0 && at > 0; level--)
        {
            long span = level == 3 ? p * p : level == 2 ? p : 1;
            uint index = (uint)(logical / span);
            logical %= span;
            long next = _fs.Pointer((uint)at, index);
            if (next == 0)
            {
                uint slot = 0;
                next = Ensure(ref slot, data: level == 1, ref fresh);
                if (next > 0 && _fs.SetPointer((uint)at, index, slot) is var r and < 0) return r;
            }
            at = next;
        }
        return at;
    }

    // The block in `slot`, or a new one put there (zeroed unless it is data, then `fresh`).
    private long Ensure(ref uint slot, bool data, ref bool fresh)
    {
        if (slot != 0) return _fs.InRange(slot) ? slot : -Errno.EUCLEAN;
        long block = _fs.AllocateBlock(_goal != 0 ? _goal : FirstBlockOfGroup());
        if (block < 0) return block;
        _inode.Sectors += (uint)_fs.Super.BlockSize / 512;
        _goal = (uint)block + 1;
        slot = (uint)block;
        if (data) fresh = true;
        else if (_fs.ZeroBlock((uint)block) is var r and < 0) return r;
        return block;
    }

    private uint FirstBlockOfGroup() =>
        _fs.Super.FirstDataBlock + (Number - 1) / _fs.Super.InodesPerGroup * _fs.Super.BlocksPerGroup;

    /// <summary>Frees every block of logical index <paramref name="keep"/> and later (and indirect blocks left empty): 0 or a negated errno.</summary>
    internal int FreeFrom(long keep)
    {
        int r = 0;
        for (long i = keep; i < Ext2.Inode.Direct && r == 0; i++)
            if (_inode.Block[i] != 0)
            {
                r = Release(_inode.Block[i]);
                _inode.Block[i] = 0;
            }
        long p = _fs.PointersPerBlock, start = Ext2.Inode.Direct, span = p;
        for (int level = 1; level <= 3 && r == 0; level++, start += span, span *= p)
        {
            ref uint top = ref _inode.Block[Ext2.Inode.SingleIndirect + level - 1];
            if (top == 0 || keep >= start + span) continue;
            if (keep <= start)
            {
                r = FreeTree(top, level);
                top = 0;
            }
            else r = FreePartial(top, level, keep - start);
        }
        return r;
    }

    // Frees indirect block `block` of `level` levels and everything under it.
    private int FreeTree(uint block, int level)
    {
        int r = ReadPointers(block, out uint[]? pointers);
        for (int i = 0; r == 0 && level > 1 && i < pointers!.Length; i++)
            if (pointers[i] != 0) r = FreeTree(pointers[i], level - 1);
        for (int i = 0; r == 0 && level == 1 && i < pointers!.Length; i++)
            if (pointers[i] != 0) r = Release(pointers[i]);
        return r == 0 ? Release(block) : r;
    }

    // Frees the entries of indirect block `block` (`level` levels) that map blocks `keep` (relative to the block's
    // first) and later; the block itself stays (it maps blocks before `keep`).
    private int FreePartial(uint block, int level, long keep)
    {
        int r = ReadPointers(block, out uint[]? pointers);
        long p = _fs.PointersPerBlock, sub = level == 3 ? p * p : level == 2 ? p : 1;
        for (long i = keep / sub; r == 0 && i < pointers!.Length; i++)
        {
            if (pointers[i] == 0) continue;
            long childStart = i * sub;
            if (keep > childStart) { r = FreePartial(pointers[i], level - 1, keep - childStart); continue; }
            r = level > 1 ? FreeTree(pointers[i], level - 1) : Release(pointers[i]);
            if (r == 0) r = _fs.SetPointer(block, (uint)i, 0);
        }
        return r;
    }

    // The pointers of indirect block `block`, each checked to be 0 or in range.
    private int ReadPointers(uint block, out uint[]? pointers)
    {
        pointers = null;
        var raw = new byte[_fs.Super.BlockSize];
        int r = _fs.ReadBlock(block, 0, raw);
        if (r < 0) return r;
        pointers = new uint[_fs.PointersPerBlock];
        for (int i = 0; i < pointers.Length; i++)
            if ((pointers[i] = Superblock.U32(raw, 4 * i)) != 0 && !_fs.InRange(pointers[i])) return -Errno.EUCLEAN;
        return 0;
    }

    // Frees one block of this file and counts it out of i_blocks.
    private int Release(uint block)
    {
        uint sectors = (uint)_fs.Super.BlockSize / 512;
        _inode.Sectors = _inode.Sectors >= sectors ? _inode.Sectors - sectors : 0;
        return _fs.FreeBlock(block);
    }
}
