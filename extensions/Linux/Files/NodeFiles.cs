using System;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// An open regular file (or other non-directory a file system opens) of any file system: the file
/// offset and O_APPEND kept here, the bytes read and written at an offset through the file system's
/// <see cref="OpenFile"/>. Used on the CPU's thread only.
/// </summary>
internal sealed class NodeFileDescription(OpenFile open, int flags) : FileDescription(flags)
{
    private long _offset;

    public override long Read(Span<byte> buffer)
    {
        long n = open.Read(buffer, _offset);
        if (n > 0) _offset += n;
        return n;
    }

    public override long Write(ReadOnlySpan<byte> buffer)
    {
        if (Appending)
        {
            long end = Size();
            if (end < 0) return end;
            _offset = end;
        }
        long n = open.Write(buffer, _offset);
        if (n > 0) _offset += n;
        return n;
    }

    public override long ReadAt(Span<byte> buffer, long offset) => open.Read(buffer, offset);

    // pwrite on an O_APPEND file appends, as on Linux.
    public override long WriteAt(ReadOnlySpan<byte> buffer, long offset)
    {
        if (!Appending) return open.Write(buffer, offset);
        long end = Size();
        return end < 0 ? end : open.Write(buffer, end);
    }

    public override long Seek(long offset, SeekWhence whence)
    {
        long from = whence switch { SeekWhence.Start => 0, SeekWhence.Current => _offset, _ => Size() };
        if (from < 0) return from;
        long to = from + offset;
        if (to < 0) return -Errno.EINVAL;
        return _offset = to;
    }

    public override int Stat(out FileStatus status) => open.GetAttributes(out status);
    public override int Truncate(long length) => open.Truncate(length);
    public override int Sync() => open.Sync();
    public override int Allocate(int mode, long offset, long length) => open.Allocate(mode, offset, length);
    public override Vnode? Node => open.Node;
    public override bool Mappable => open.Mappable;
    protected override void Close() => open.Release();

    // The file's length now, or -errno.
    private long Size()
    {
        int r = open.GetAttributes(out FileStatus st);
        return r < 0 ? r : st.Size;
    }
}
