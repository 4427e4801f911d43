using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Linux.Files;

/// <summary>An object of a <see cref="MemoryFs"/>: inode number, mode, link count and times.</summary>
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
    public override ulong Device => Fs.Device;
    public override ulong Inode { get; }
    public override uint Type => Mode & FileAbi.S_IFMT;
    public uint Mode;
    public ulong Links = 1;
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

    public override int Stat(out FileStatus status)
    {
        status = new FileStatus
        {
            Device = Device, Inode = Inode, Mode = Mode, LinkCount = Links, Size = Size,
            BlockSize = 4096, Blocks = (Size + 511) / 512,
            AccessSeconds = _access / 1_000_000_000, AccessNanoseconds = (uint)(_access % 1_000_000_000),
            ModifySeconds = _modify / 1_000_000_000, ModifyNanoseconds = (uint)(_modify % 1_000_000_000),
            ChangeSeconds = _change / 1_000_000_000, ChangeNanoseconds = (uint)(_change % 1_000_000_000),
        };
        return 0;
    }

    /// <summary>Directory keys: names as Latin-1 strings, one char per byte, so any byte string round-trips.</summary>
    public static string Key(ReadOnlySpan<byte> name) => Encoding.Latin1.GetString(name);
}

/// <summary>A regular file held in memory.</summary>
internal sealed class MemoryFile(MemoryFs fs, uint permissions) : MemoryNode(fs, FileAbi.S_IFREG | permissions)
{
    /// <summary>Largest file the memory file system holds (a byte[] bound).</summary>
    public const long MaxSize = 1L << 30;

    private byte[] _data = [];
    private long _length;

    public override long Size => _length;

    public override int Open(int flags, Location where, out FileDescription? file)
    {
        if ((flags & Abi.LinuxAbi.O_TRUNC) != 0 && (flags & Abi.LinuxAbi.O_ACCMODE) != 0) Truncate(0);
        file = new MemoryFileDescription(this, flags);
        return 0;
    }

    /// <summary>Copies bytes at <paramref name="offset"/>; 0 at or past the end.</summary>
    public long ReadAt(Span<byte> buffer, long offset)
    {
        if (offset >= _length) return 0;
        int n = (int)Math.Min(buffer.Length, _length - offset);
        _data.AsSpan((int)offset, n).CopyTo(buffer);
        Touch(access: true, modify: false);
        return n;
    }

    /// <summary>Writes at <paramref name="offset"/>, growing the file (a gap reads as zeros); -EFBIG past <see cref="MaxSize"/>.</summary>
    public long WriteAt(ReadOnlySpan<byte> buffer, long offset)
    {
        if (offset + buffer.Length > MaxSize) return -Errno.EFBIG;
        Reserve(offset + buffer.Length);
        buffer.CopyTo(_data.AsSpan((int)offset));
        _length = Math.Max(_length, offset + buffer.Length);
        Touch(access: false, modify: true);
        return buffer.Length;
    }

    public override int Truncate(long length)
    {
        if (length > MaxSize) return -Errno.EFBIG;
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
        var bigger = new byte[Math.Max(length, Math.Min(MaxSize, Math.Max(4096, 2L * _data.Length)))];
        _data.AsSpan(0, (int)_length).CopyTo(bigger);
        _data = bigger;
    }
}

/// <summary>A symbolic link held in memory.</summary>
internal sealed class MemorySymlink(MemoryFs fs, byte[] target) : MemoryNode(fs, FileAbi.S_IFLNK | 0x1ff)
{
    public override long Size => target.Length;

    public override int ReadLink(Span<byte> buffer)
    {
        target.AsSpan(0, Math.Min(target.Length, buffer.Length)).CopyTo(buffer);
        return target.Length;
    }

    public override int Open(int flags, Location where, out FileDescription? file) { file = null; return -Errno.ELOOP; }
}

/// <summary>A directory held in memory: names in byte order, and its parent for "..".</summary>
internal sealed class MemoryDirectory : MemoryNode
{
    public readonly SortedDictionary<string, MemoryNode> Entries = new(StringComparer.Ordinal);

    /// <param name="parent">The containing directory; null for the root (its own parent).</param>
    public MemoryDirectory(MemoryFs fs, uint permissions, MemoryDirectory? parent) : base(fs, FileAbi.S_IFDIR | permissions)
    {
        Parent = parent ?? this;
        Links = 2;
    }

    public MemoryDirectory Parent { get; private set; }
    public override long Size => 4096;

    public override int Open(int flags, Location where, out FileDescription? file)
    {
        file = new MemoryDirectoryDescription(this, flags, where);
        return 0;
    }

    public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
    {
        bool found = Entries.TryGetValue(Key(name), out MemoryNode? node);
        child = node;
        return found ? 0 : -Errno.ENOENT;
    }

    public override int Create(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        var file = new MemoryFile(Fs, mode);
        node = file;
        return Add(name, file);
    }

    public override int MakeDirectory(ReadOnlySpan<byte> name, uint mode)
    {
        int r = Add(name, new MemoryDirectory(Fs, mode, this));
        if (r == 0) Links++;
        return r;
    }

    public override int MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target) => Add(name, new MemorySymlink(Fs, target.ToArray()));

    public override int Unlink(ReadOnlySpan<byte> name, bool directory)
    {
        string key = Key(name);
        if (!Entries.TryGetValue(key, out MemoryNode? node)) return -Errno.ENOENT;
        if (node is MemoryDirectory d)
        {
            if (!directory) return -Errno.EISDIR;
            if (d.Entries.Count > 0) return -Errno.ENOTEMPTY;
            Links--;
        }
        else if (directory) return -Errno.ENOTDIR;
        Entries.Remove(key);
        node.Links--;
        Touch(access: false, modify: true);
        return 0;
    }

    public override int Rename(ReadOnlySpan<byte> name, Vnode newDirectory, ReadOnlySpan<byte> newName, bool noReplace)
    {
        if (newDirectory is not MemoryDirectory to || to.Fs != Fs) return -Errno.EXDEV;
        string key = Key(name), newKey = Key(newName);
        if (!Entries.TryGetValue(key, out MemoryNode? node)) return -Errno.ENOENT;
        if (to.Entries.TryGetValue(newKey, out MemoryNode? old))
        {
            if (ReferenceEquals(old, node)) return 0;
            if (noReplace) return -Errno.EEXIST;
            if (node is MemoryDirectory && old is not MemoryDirectory) return -Errno.ENOTDIR;
            if (node is not MemoryDirectory && old is MemoryDirectory) return -Errno.EISDIR;
            int r = to.Unlink(newName, old is MemoryDirectory);
            if (r < 0) return r;
        }
        Entries.Remove(key);
        to.Entries[newKey] = node;
        if (node is MemoryDirectory d) { d.Parent = to; Links--; to.Links++; }
        Touch(access: false, modify: true);
        to.Touch(access: false, modify: true);
        return 0;
    }

    // Links node as name; -EEXIST if taken.
    private int Add(ReadOnlySpan<byte> name, MemoryNode node)
    {
        if (!Entries.TryAdd(Key(name), node)) return -Errno.EEXIST;
        Touch(access: false, modify: true);
        return 0;
    }
}
