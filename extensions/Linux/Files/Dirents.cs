using System;
using System.Buffers.Binary;

namespace Spindle.Extensions.Linux.Files;

/// <summary>Encodes struct linux_dirent64 records (d_ino, d_off, d_reclen, d_type, name NUL, 8-byte aligned).</summary>
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
}

/// <summary>
/// Reading a directory whose entries are listed as a snapshot: the snapshot is taken when reading
/// starts at offset 0 and the offset counts entries, so lseek(fd, 0, SEEK_SET) rewinds.
/// </summary>
internal abstract class SnapshotDirectoryDescription(int flags, Location where) : FileDescription(flags)
{
    private (byte[] Name, ulong Inode, byte Type)[]? _entries;
    private long _next;

    public override Location? Directory => where;
    public override long Read(Span<byte> buffer) => -Sdk.Io.Errno.EISDIR;
    public override long ReadAt(Span<byte> buffer, long offset) => -Sdk.Io.Errno.EISDIR;

    /// <summary>The entries now, "." and ".." first.</summary>
    protected abstract (byte[] Name, ulong Inode, byte Type)[] List();

    public override int ReadDirectory(Span<byte> buffer)
    {
        if (_next == 0 || _entries == null) _entries = List();
        int used = 0;
        while (_next < _entries.Length)
        {
            var e = _entries[_next];
            int n = Dirents.Write(buffer[used..], e.Inode, _next + 1, e.Type, e.Name);
            if (n == 0) break;
            used += n;
            _next++;
        }
        return used == 0 && _next < _entries.Length ? -Sdk.Io.Errno.EINVAL : used;
    }

    public override long Seek(long offset, Sdk.Io.SeekWhence whence)
    {
        long to = whence switch { Sdk.Io.SeekWhence.Start => offset, Sdk.Io.SeekWhence.Current => _next + offset, _ => -1 };
        if (to < 0) return -Sdk.Io.Errno.EINVAL;
        _next = to;
        return to;
    }
}
