using System.Text;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Tests.FileSystems;

/// <summary>
/// A small file system written against the Sdk contract only (Spindle.Sdk.Vfs and Spindle.Sdk.Io,
/// nothing of the personality): an inode table in a dictionary, directories as name → inode maps,
/// file contents as growable byte arrays. Its readdir cookies are insertion sequence numbers (a
/// different scheme from MemoryFs's), so listings come in creation order.
/// Used on one thread, as the contract says.
/// </summary>
public sealed class ToyFs : IFileSystem
{
    private static ulong _devices = 0x7000;
    private readonly Dictionary<ulong, ToyNode> _inodes = [];
    private ulong _next = 1;

    public ToyFs()
    {
        Device = ++_devices;
        ToyNode root = Add(FileType.Directory | 0x1ed);
        root.Links = 2; // its "." and its own ".."
        Root = root;
    }

    public Vnode Root { get; }
    public ulong Device { get; }

    public int GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = new FileSystemStatistics { Type = 0x70790, BlockSize = 512, Files = (ulong)_inodes.Count, NameMax = 255 };
        return 0;
    }

    public int Sync() => 0;

    /// <summary>A new object in the inode table (no name yet: links 0, or 1 for a directory's ".").</summary>
    internal ToyNode Add(uint mode)
    {
        var node = new ToyNode(this, _next++, mode);
        _inodes[node.Inode] = node;
        return node;
    }

    /// <summary>Drops an object no name refers to any more.</summary>
    internal void Forget(ToyNode node)
    {
        if (node.Links == 0) _inodes.Remove(node.Inode);
    }
}

/// <summary>One object of a <see cref="ToyFs"/>; which operations it answers depends on its type.</summary>
public sealed class ToyNode : Vnode
{
    private readonly ToyFs _fs;
    private uint _mode, _uid, _gid;
    private long _atime, _mtime;
    private byte[] _data = [];
    private long _size;
    // Directories: name → (sequence, node); the sequence orders the listing and makes the cookies.
    private readonly Dictionary<string, (long Seq, ToyNode Node)> _names = [];
    private long _seq;

    internal ToyNode(ToyFs fs, ulong inode, uint mode)
    {
        _fs = fs;
        Inode = inode;
        _mode = mode;
        Links = (mode & FileType.Mask) == FileType.Directory ? 1UL : 0UL;
    }

    public ulong Links;
    public override IFileSystem FileSystem => _fs;
    public override ulong Inode { get; }
    public override uint Type => _mode & FileType.Mask;

    private static string Key(ReadOnlySpan<byte> name) => Encoding.Latin1.GetString(name);

    public override int GetAttributes(out FileStatus status)
    {
        status = new FileStatus
        {
            Device = Device, Inode = Inode, Mode = _mode, Uid = _uid, Gid = _gid, LinkCount = Links,
            Size = IsDirectory ? 0 : _size, BlockSize = 512,
            AccessSeconds = _atime / 1_000_000_000, ModifySeconds = _mtime / 1_000_000_000,
        };
        return 0;
    }

    public override int SetAttributes(in AttributeChanges changes)
    {
        if ((changes.Valid & AttributeMask.Size) != 0)
        {
            if (IsDirectory) return -Errno.EISDIR;
            if (Type != FileType.Regular) return -Errno.EINVAL;
            Resize(changes.Size);
        }
        if ((changes.Valid & AttributeMask.Mode) != 0) _mode = Type | (changes.Mode & FileType.PermissionMask);
        if ((changes.Valid & AttributeMask.Uid) != 0) _uid = changes.Uid;
        if ((changes.Valid & AttributeMask.Gid) != 0) _gid = changes.Gid;
        if ((changes.Valid & AttributeMask.AccessTime) != 0) _atime = changes.AccessNanoseconds;
        if ((changes.Valid & AttributeMask.ModifyTime) != 0) _mtime = changes.ModifyNanoseconds;
        return 0;
    }

    public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
    {
        child = null;
        if (!IsDirectory) return -Errno.ENOTDIR;
        if (!_names.TryGetValue(Key(name), out var e)) return -Errno.ENOENT;
        child = e.Node;
        return 0;
    }

    public override int Create(ReadOnlySpan<byte> name, uint mode, out Vnode? node) => Make(name, FileType.Regular | (mode & FileType.PermissionMask), out node);
    public override int MakeDirectory(ReadOnlySpan<byte> name, uint mode, out Vnode? node) => Make(name, FileType.Directory | (mode & FileType.PermissionMask), out node);

    public override int MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target, out Vnode? node)
    {
        int r = Make(name, FileType.Symlink | 0x1ff, out node);
        if (r == 0) ((ToyNode)node!).Write(target, 0);
        return r;
    }

    public override int Link(ReadOnlySpan<byte> name, Vnode target)
    {
        if (!IsDirectory) return -Errno.ENOTDIR;
        if (target is not ToyNode t || t._fs != _fs) return -Errno.EXDEV;
        if (t.IsDirectory) return -Errno.EPERM;
        return Enter(Key(name), t);
    }

    public override int Unlink(ReadOnlySpan<byte> name) => Remove(Key(name), directory: false);
    public override int RemoveDirectory(ReadOnlySpan<byte> name) => Remove(Key(name), directory: true);

    public override int Rename(ReadOnlySpan<byte> name, Vnode newDirectory, ReadOnlySpan<byte> newName, bool noReplace)
    {
        if (!IsDirectory) return -Errno.ENOTDIR;
        if (newDirectory is not ToyNode to || to._fs != _fs) return -Errno.EXDEV;
        string key = Key(name), newKey = Key(newName);
        if (!_names.TryGetValue(key, out var moving)) return -Errno.ENOENT;
        if (to._names.TryGetValue(newKey, out var old))
        {
            if (ReferenceEquals(old.Node, moving.Node)) return 0;
            if (noReplace) return -Errno.EEXIST;
            int r = to.Remove(newKey, moving.Node.IsDirectory);
            if (r < 0) return r;
        }
        _names.Remove(key);
        moving.Node.Links--;
        if (moving.Node.IsDirectory) Links--;
        return to.Enter(newKey, moving.Node);
    }

    public override int ReadLink(Span<byte> target)
    {
        if (!IsSymlink) return -Errno.EINVAL;
        int n = (int)Math.Min(target.Length, _size);
        _data.AsSpan(0, n).CopyTo(target);
        return (int)_size;
    }

    public override long Read(Span<byte> buffer, long offset)
    {
        if (IsDirectory) return -Errno.EISDIR;
        if (offset < 0) return -Errno.EINVAL;
        if (offset >= _size) return 0;
        int n = (int)Math.Min(buffer.Length, _size - offset);
        _data.AsSpan((int)offset, n).CopyTo(buffer);
        return n;
    }

    public override long Write(ReadOnlySpan<byte> buffer, long offset)
    {
        if (IsDirectory) return -Errno.EISDIR;
        if (offset < 0) return -Errno.EINVAL;
        if (offset + buffer.Length > int.MaxValue) return -Errno.EFBIG;
        if (offset + buffer.Length > _size) Resize(offset + buffer.Length);
        buffer.CopyTo(_data.AsSpan((int)offset));
        return buffer.Length;
    }

    public override int ReadDirectory(long cookie, IDirectorySink sink)
    {
        if (!IsDirectory) return -Errno.ENOTDIR;
        foreach (var (name, e) in _names.OrderBy(kv => kv.Value.Seq))
        {
            if (e.Seq < cookie) continue;
            if (!sink.Add(Encoding.Latin1.GetBytes(name), e.Node.Inode, e.Node.Type, e.Seq + 1)) break;
        }
        return 0;
    }

    // Sets the length; bytes past the old end read as zeros.
    private void Resize(long length)
    {
        if (length > _data.Length) Array.Resize(ref _data, (int)Math.Max(length, 2L * _data.Length));
        if (length < _size) _data.AsSpan((int)length, (int)(_size - length)).Clear();
        _size = length;
    }

    private int Make(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        node = null;
        if (!IsDirectory) return -Errno.ENOTDIR;
        string key = Key(name);
        if (_names.ContainsKey(key)) return -Errno.EEXIST;
        ToyNode made = _fs.Add(mode);
        Enter(key, made);
        node = made;
        return 0;
    }

    // Names node as key (a free name): its link count, and ours for a subdirectory's "..".
    private int Enter(string key, ToyNode node)
    {
        if (_names.ContainsKey(key)) return -Errno.EEXIST;
        _names[key] = (_seq++, node);
        node.Links++;
        if (node.IsDirectory) Links++;
        return 0;
    }

    private int Remove(string key, bool directory)
    {
        if (!IsDirectory) return -Errno.ENOTDIR;
        if (!_names.TryGetValue(key, out var e)) return -Errno.ENOENT;
        if (e.Node.IsDirectory != directory) return directory ? -Errno.ENOTDIR : -Errno.EISDIR;
        if (directory && e.Node._names.Count > 0) return -Errno.ENOTEMPTY;
        _names.Remove(key);
        if (directory) { Links--; e.Node.Links -= 2; }
        else e.Node.Links--;
        _fs.Forget(e.Node);
        return 0;
    }
}
