using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>An object of a <see cref="MemoryFs"/>: inode number, mode, owner, link count and times.</summary>
internal abstract class MemoryNode : Vnode
{
    protected MemoryNode(MemoryFs fs, uint mode)
    {
        Fs = fs;
        Inode = fs.NextInode();
        Mode = mode;
        Touch(access: true, modify: true);
    }

    public MemoryFs Fs { get; }
    public override IFileSystem FileSystem => Fs;
    public override ulong Inode { get; }
    public override uint Type => Mode & FileType.Mask;
    public uint Mode;
    public ulong Links = 1;
    private uint _uid, _gid;
    private long _access, _modify, _change;

    /// <summary>Bytes of content (st_size).</summary>
    public abstract long Size { get; }

    /// <summary>Records an access and/or a modification now (a modification also changes ctime).</summary>
    public void Touch(bool access, bool modify)
    {
        long now = Fs.Now;
        if (access) _access = now;
        if (modify) _modify = _change = now;
    }

    public override int GetAttributes(out FileStatus status)
    {
        status = new FileStatus
        {
            Device = Device, Inode = Inode, Mode = Mode, LinkCount = Links, Size = Size, Uid = _uid, Gid = _gid,
            BlockSize = 4096, Blocks = (Size + 511) / 512,
            AccessSeconds = _access / 1_000_000_000, AccessNanoseconds = (uint)(_access % 1_000_000_000),
            ModifySeconds = _modify / 1_000_000_000, ModifyNanoseconds = (uint)(_modify % 1_000_000_000),
            ChangeSeconds = _change / 1_000_000_000, ChangeNanoseconds = (uint)(_change % 1_000_000_000),
        };
        return 0;
    }

    public override int SetAttributes(in AttributeChanges changes)
    {
        if ((changes.Valid & AttributeMask.Size) != 0)
        {
            int r = Resize(changes.Size);
            if (r < 0) return r;
        }
        if ((changes.Valid & AttributeMask.Mode) != 0) Mode = (Mode & FileType.Mask) | (changes.Mode & FileType.PermissionMask);
        if ((changes.Valid & AttributeMask.Uid) != 0) _uid = changes.Uid;
        if ((changes.Valid & AttributeMask.Gid) != 0) _gid = changes.Gid;
        if ((changes.Valid & AttributeMask.AccessTime) != 0) _access = changes.AccessNanoseconds;
        if ((changes.Valid & AttributeMask.ModifyTime) != 0) _modify = changes.ModifyNanoseconds;
        _change = Fs.Now;
        return 0;
    }

    /// <summary>Sets the length; only regular files have one to set.</summary>
    protected virtual int Resize(long length) => IsDirectory ? -Errno.EISDIR : -Errno.EINVAL;

    /// <summary>Directory keys: names as Latin-1 strings, one char per byte, so any byte string round-trips and ordinal order is byte order.</summary>
    public static string Key(ReadOnlySpan<byte> name) => Encoding.Latin1.GetString(name);
}

/// <summary>A regular file held in memory.</summary>
internal sealed class MemoryFile(MemoryFs fs, uint permissions) : MemoryNode(fs, FileType.Regular | permissions)
{
    private byte[] _data = [];
    private long _length;

    public override long Size => _length;

    public override long Read(Span<byte> buffer, long offset)
    {
        if (offset < 0) return -Errno.EINVAL;
        if (offset >= _length) return 0;
        int n = (int)Math.Min(buffer.Length, _length - offset);
        _data.AsSpan((int)offset, n).CopyTo(buffer);
        Touch(access: true, modify: false);
        return n;
    }

    public override long Write(ReadOnlySpan<byte> buffer, long offset)
    {
        if (offset < 0) return -Errno.EINVAL;
        if (offset + buffer.Length > MemoryFs.MaxFileSize) return -Errno.EFBIG;
        Reserve(offset + buffer.Length);
        buffer.CopyTo(_data.AsSpan((int)offset));
        _length = Math.Max(_length, offset + buffer.Length);
        Touch(access: false, modify: true);
        return buffer.Length;
    }

    // Bytes past the new end are cleared, so a later growth reads zeros there.
    protected override int Resize(long length)
    {
        if (length > MemoryFs.MaxFileSize) return -Errno.EFBIG;
        Reserve(length);
        if (length < _length) _data.AsSpan((int)length, (int)(_length - length)).Clear();
        _length = length;
        Touch(access: false, modify: true);
        return 0;
    }

    // Grows the backing array to hold at least length bytes.
    private void Reserve(long length)
    {
        if (length <= _data.Length) return;
        var bigger = new byte[Math.Max(length, Math.Min(MemoryFs.MaxFileSize, Math.Max(4096, 2L * _data.Length)))];
        _data.AsSpan(0, (int)_length).CopyTo(bigger);
        _data = bigger;
    }
}

/// <summary>A symbolic link held in memory.</summary>
internal sealed class MemorySymlink(MemoryFs fs, byte[] target) : MemoryNode(fs, FileType.Symlink | 0x1ff)
{
    public override long Size => target.Length;

    public override int ReadLink(Span<byte> buffer)
    {
        target.AsSpan(0, Math.Min(target.Length, buffer.Length)).CopyTo(buffer);
        return target.Length;
    }
}

/// <summary>A FIFO's node held in memory (its name and attributes; opening it is the personality's).</summary>
internal sealed class MemoryFifo(MemoryFs fs, uint permissions) : MemoryNode(fs, FileType.Fifo | permissions)
{
    public override long Size => 0;
}

/// <summary>
/// A directory held in memory: names in byte order. A readdir cookie
/// stands for "after this name": cookie c (c &gt; 0) is the (c-1)-th name ever handed out as a
/// resume point, so a listing resumes correctly while names come and go.
/// </summary>
internal sealed class MemoryDirectory : MemoryNode
{
    private readonly SortedDictionary<string, MemoryNode> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _resumeNames = [];
    private readonly Dictionary<string, long> _cookies = [];

    public MemoryDirectory(MemoryFs fs, uint permissions) : base(fs, FileType.Directory | permissions) => Links = 2;

    public override long Size => 4096;

    public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
    {
        bool found = _entries.TryGetValue(Key(name), out MemoryNode? node);
        child = node;
        return found ? 0 : -Errno.ENOENT;
    }

    public override int Create(ReadOnlySpan<byte> name, uint mode, out Vnode? node) => Add(name, new MemoryFile(Fs, mode & FileType.PermissionMask), out node);

    public override int MakeDirectory(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        int r = Add(name, new MemoryDirectory(Fs, mode & FileType.PermissionMask), out node);
        if (r == 0) Links++;
        return r;
    }

    public override int MakeNode(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        uint permissions = mode & FileType.PermissionMask;
        switch (mode & FileType.Mask)
        {
            case FileType.Regular: return Create(name, permissions, out node);
            case FileType.Fifo: return Add(name, new MemoryFifo(Fs, permissions), out node);
            default: node = null; return -Errno.EPERM;
        }
    }

    public override int MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target, out Vnode? node) =>
        Add(name, new MemorySymlink(Fs, target.ToArray()), out node);

    public override int Link(ReadOnlySpan<byte> name, Vnode target)
    {
        if (target is not MemoryNode node || node.Fs != Fs) return -Errno.EXDEV;
        if (node.IsDirectory) return -Errno.EPERM;
        int r = Add(name, node, out _);
        if (r == 0) node.Links++;
        return r;
    }

    public override int Unlink(ReadOnlySpan<byte> name) => Remove(name, directory: false);
    public override int RemoveDirectory(ReadOnlySpan<byte> name) => Remove(name, directory: true);

    public override int Rename(ReadOnlySpan<byte> name, Vnode newDirectory, ReadOnlySpan<byte> newName, bool noReplace)
    {
        if (newDirectory is not MemoryDirectory to || to.Fs != Fs) return -Errno.EXDEV;
        string key = Key(name), newKey = Key(newName);
        if (!_entries.TryGetValue(key, out MemoryNode? node)) return -Errno.ENOENT;
        if (to._entries.TryGetValue(newKey, out MemoryNode? old))
        {
            if (ReferenceEquals(old, node)) return 0;
            if (noReplace) return -Errno.EEXIST;
            if (node is MemoryDirectory && old is not MemoryDirectory) return -Errno.ENOTDIR;
            if (node is not MemoryDirectory && old is MemoryDirectory) return -Errno.EISDIR;
            int r = to.Remove(newName, old is MemoryDirectory);
            if (r < 0) return r;
        }
        _entries.Remove(key);
        to._entries[newKey] = node;
        if (node is MemoryDirectory) { Links--; to.Links++; }
        Touch(access: false, modify: true);
        to.Touch(access: false, modify: true);
        return 0;
    }

    public override int ReadDirectory(long cookie, IDirectorySink sink)
    {
        if (cookie < 0 || cookie > _resumeNames.Count) return -Errno.EINVAL;
        string? after = cookie == 0 ? null : _resumeNames[(int)cookie - 1];
        foreach (var (name, node) in _entries)
        {
            if (after != null && string.CompareOrdinal(name, after) <= 0) continue;
            if (!sink.Add(Encoding.Latin1.GetBytes(name), node.Inode, node.Type, CookieAfter(name))) break;
        }
        Touch(access: true, modify: false);
        return 0;
    }

    // The cookie that resumes a listing after name (one per name, made on first use).
    private long CookieAfter(string name)
    {
        if (_cookies.TryGetValue(name, out long cookie)) return cookie;
        _resumeNames.Add(name);
        return _cookies[name] = _resumeNames.Count;
    }

    // Unlinks name: a non-directory, or an empty directory if directory.
    private int Remove(ReadOnlySpan<byte> name, bool directory)
    {
        string key = Key(name);
        if (!_entries.TryGetValue(key, out MemoryNode? node)) return -Errno.ENOENT;
        if (node is MemoryDirectory d)
        {
            if (!directory) return -Errno.EISDIR;
            if (d._entries.Count > 0) return -Errno.ENOTEMPTY;
            Links--;
        }
        else if (directory) return -Errno.ENOTDIR;
        _entries.Remove(key);
        node.Links--;
        Touch(access: false, modify: true);
        return 0;
    }

    // Links node as name; -EEXIST if taken.
    private int Add(ReadOnlySpan<byte> name, MemoryNode node, out Vnode? added)
    {
        added = null;
        if (!_entries.TryAdd(Key(name), node)) return -Errno.EEXIST;
        added = node;
        Touch(access: false, modify: true);
        return 0;
    }
}
