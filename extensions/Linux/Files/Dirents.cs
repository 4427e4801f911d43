using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>Encodes and decodes struct linux_dirent64 records (d_ino, d_off, d_reclen, d_type, name NUL, 8-byte aligned).</summary>
internal static class Dirents
{
    /// <summary>Bytes one record for a name of <paramref name="nameLength"/> takes.</summary>
    public static int RecordLength(int nameLength) => (19 + nameLength + 1 + 7) & ~7;

    /// <summary>Writes one record at the start of <paramref name="buffer"/>; returns its length, or 0 if it does not fit.</summary>
    public static int Write(Span<byte> buffer, ulong inode, long nextOffset, byte type, ReadOnlySpan<byte> name)
    {
        int length = RecordLength(name.Length);
        if (length > buffer.Length) return 0;
        Span<byte> record = buffer[..length];
        record.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(record, inode);
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], nextOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(record[16..], (ushort)length);
        record[18] = type;
        name.CopyTo(record[19..]);
        return length;
    }

    /// <summary>Reads the record at the start of <paramref name="record"/> (as the host's getdents64 wrote it): its length, and its name without the NUL.</summary>
    public static int Read(ReadOnlySpan<byte> record, out ReadOnlySpan<byte> name)
    {
        name = record[19..];
        name = name[..name.IndexOf((byte)0)];
        return BinaryPrimitives.ReadUInt16LittleEndian(record[16..]);
    }
}

/// <summary>
/// An open directory of any file system: getdents64 lists "." and ".." (from the walked chain, so
/// ".." of a mount's root is the directory it covers), then the file system's entries from its
/// cookies. The file offset counts positions: 0 ".", 1 "..", 2 + i resumes at the i-th cookie this
/// description was handed (cookies are opaque and may use all 64 bits, so they are not offsets
/// themselves); lseek(fd, 0, SEEK_SET) rewinds. Used on the CPU's thread only.
/// </summary>
internal sealed class DirectoryDescription(OpenFile open, int flags, Location where) : FileDescription(flags), IDirectorySink
{
    private readonly List<long> _cookies = [0];
    private long _position;
    private byte[] _out = [];
    private int _used, _limit;
    private bool _full;

    public override Location? Directory => where;
    public override Vnode? Node => where.Node;
    public override int Sync() => open.Sync();
    public override long Read(Span<byte> buffer) => -Errno.EISDIR;
    public override long ReadAt(Span<byte> buffer, long offset) => -Errno.EISDIR;
    public override int Stat(out FileStatus status) => open.GetAttributes(out status);
    protected override void Close() => open.Release();

    public override int ReadDirectory(Span<byte> buffer)
    {
        if (_out.Length < buffer.Length) _out = new byte[buffer.Length];
        _used = 0;
        _limit = buffer.Length;
        _full = false;
        if (_position == 0) Emit("."u8, where.Node.Inode, FileType.Directory, 1);
        if (_position == 1) Emit(".."u8, where.Up.Node.Inode, FileType.Directory, 2);
        if (!_full && _position >= 2 && _position - 2 < _cookies.Count)
        {
            int r = open.ReadDirectory(_cookies[(int)(_position - 2)], this);
            if (r < 0 && _used == 0) return r;
        }
        if (_used == 0 && _full) return -Errno.EINVAL;
        _out.AsSpan(0, _used).CopyTo(buffer);
        return _used;
    }

    // One entry of the file system: taken at the next position, its cookie recorded for that position.
    bool IDirectorySink.Add(ReadOnlySpan<byte> name, ulong inode, uint type, long nextCookie)
    {
        if (Vfs.IsDotOrEmpty(name)) return true; // the contract forbids them; "." and ".." come from the walk
        int at = (int)(_position - 2) + 1;
        if (!Emit(name, inode, type, 2 + at)) return false;
        if (at < _cookies.Count) _cookies[at] = nextCookie;
        else _cookies.Add(nextCookie);
        return true;
    }

    // Encodes one record whose d_off is next and moves the position there; false (and full) if it does not fit.
    private bool Emit(ReadOnlySpan<byte> name, ulong inode, uint type, long next)
    {
        if (_full) return false;
        int n = Dirents.Write(_out.AsSpan(_used, _limit - _used), inode, next, FileAbi.DirentType(type), name);
        if (n == 0) { _full = true; return false; }
        _used += n;
        _position = next;
        return true;
    }

    public override long Seek(long offset, SeekWhence whence)
    {
        long to = whence switch { SeekWhence.Start => offset, SeekWhence.Current => _position + offset, _ => -1 };
        if (to < 0 || (to >= 2 && to - 2 >= _cookies.Count)) return -Errno.EINVAL;
        if (to == 0) _cookies.RemoveRange(1, _cookies.Count - 1);
        _position = to;
        return to;
    }
}
