using System;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Fs.Ext2;

// rename on ext2: within a directory or across, over a file or an empty directory. The source's link count is held
// one high while it has two names (a crash leaves it high, never low); a directory moved across gets its ".." changed
// and both parents' link counts moved. Caller: CPU's thread, one call at a time; the personality has refused moving
// a directory into its own subtree.
public sealed partial class Ext2Node
{
    /// <inheritdoc/>
    public override int Rename(ReadOnlySpan<byte> name, Vnode newDirectory, ReadOnlySpan<byte> newName, bool noReplace)
    {
        int r = Named(name, out Ext2Node? source);
        if (r < 0) return r;
        if (newDirectory is not Ext2Node to || !ReferenceEquals(to._fs, _fs)) return -Errno.EXDEV;
        if (!to.IsDirectory) return -Errno.ENOTDIR;
        if (to.Number == Number) to = this;                   // another object of this directory: one copy of its inode
        else if (to.Live() is var live and < 0) return live;
        if (newName.Length > DirectoryEntry.MaxName) return -Errno.ENAMETOOLONG;
        r = to.Lookup(newName, out Vnode? existing);
        if (r < 0 && r != -Errno.ENOENT) return r;
        var target = existing as Ext2Node;
        if (target?.Number == source!.Number) return 0;                       // two names of one object: nothing to do
        bool directory = source.IsDirectory, moving = to != this;
        if (target != null)
        {
            if (noReplace) return -Errno.EEXIST;
            if (directory && !target.IsDirectory) return -Errno.ENOTDIR;
            if (!directory && target.IsDirectory) return -Errno.EISDIR;
            if (target.IsDirectory && (r = target.IsEmpty()) <= 0) return r < 0 ? r : -Errno.ENOTEMPTY;
        }
        else if (directory && moving && to._inode.Links >= MaxLinks) return -Errno.EMLINK;

        source._inode.Links++;                                // held while it has two names (a crash leaves it high)
        r = _fs.WriteInode(source);
        if (r == 0) r = target != null ? to.ReplaceEntry(newName, source.Number, source.Type) : to.AddEntry(newName, source.Number, source.Type);
        if (r == 0) r = RemoveEntry(name, out _);
        source._inode.Links--;
        source._inode.ChangeTime = _fs.Now;
        int stored = _fs.WriteInode(source);
        if (r < 0) return r;
        if (stored < 0) return stored;
        if (target != null) r = target.Replaced(to);
        if (r == 0 && directory && moving)
        {
            r = source.ReplaceEntry(".."u8, to.Number, FileType.Directory);
            if (_inode.Links > 2) _inode.Links--;
            to._inode.Links++;
            if (r == 0) r = _fs.WriteInode(this);
            if (r == 0) r = _fs.WriteInode(to);
        }
        return r;
    }

    // This object's name in `parent` now names another: a directory goes (with its ".." link to the parent), a
    // file loses one name.
    private int Replaced(Ext2Node parent)
    {
        if (!IsDirectory) return Unlinked();
        _inode.Links = 0;
        Destroy();
        if (parent._inode.Links > 2) parent._inode.Links--;
        return _fs.WriteInode(parent);
    }
}
