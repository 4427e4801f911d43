using Spindle.Sdk.Io;

namespace Spindle.Kernel.Services;

/// <summary>A host file descriptor opened by <see cref="HostFileSystem"/>; owns it until <see cref="Close"/>.</summary>
internal sealed unsafe class HostFile(int fd, bool isDirectory) : IHostFile
{
    private int _fd = fd;

    public bool IsDirectory { get; } = isDirectory;

    public long Read(Span<byte> buffer)
    {
        if (_fd < 0) return -Errno.EBADF;
        fixed (byte* b = buffer) return Libc.Read(_fd, b, (nuint)buffer.Length);
    }

    public long Write(ReadOnlySpan<byte> buffer)
    {
        if (_fd < 0) return -Errno.EBADF;
        fixed (byte* b = buffer) return Libc.Write(_fd, b, (nuint)buffer.Length);
    }

    public long ReadAt(Span<byte> buffer, long offset)
    {
        if (_fd < 0) return -Errno.EBADF;
        fixed (byte* b = buffer) return Libc.PRead(_fd, b, (nuint)buffer.Length, offset);
    }

    public long WriteAt(ReadOnlySpan<byte> buffer, long offset)
    {
        if (_fd < 0) return -Errno.EBADF;
        fixed (byte* b = buffer) return Libc.PWrite(_fd, b, (nuint)buffer.Length, offset);
    }

    public long Seek(long offset, SeekWhence whence) => _fd < 0 ? -Errno.EBADF : Libc.Seek(_fd, offset, (int)whence);

    public int Stat(out FileStatus status)
    {
        status = default;
        return _fd < 0 ? -Errno.EBADF : StatxDecoder.StatDescriptor(_fd, out status);
    }

    public int ReadDirectory(Span<byte> buffer)
    {
        if (_fd < 0) return -Errno.EBADF;
        fixed (byte* b = buffer) return (int)Libc.GetDents64(_fd, b, (nuint)buffer.Length);
    }

    public int Truncate(long length) => _fd < 0 ? -Errno.EBADF : IsDirectory ? -Errno.EISDIR : Libc.Ftruncate(_fd, length);

    public int Sync(bool dataOnly) => _fd < 0 ? -Errno.EBADF : Libc.Fsync(_fd, dataOnly);

    // A request larger than the space free to the caller is refused before the host starts reserving blocks
    // (a host may fill its disk before it answers -ENOSPC).
    public int Allocate(int mode, long offset, long length)
    {
        if (_fd < 0) return -Errno.EBADF;
        long* f = stackalloc long[15]; // struct statfs on 64-bit hosts
        int r = Libc.Fstatfs(_fd, (byte*)f);
        if (r < 0) return r;
        if ((ulong)length / (ulong)Math.Max(f[1], 1) >= (ulong)f[4]) return -Errno.ENOSPC;
        return Libc.Fallocate(_fd, mode, offset, length);
    }

    public void Close()
    {
        if (_fd < 0) return;
        Libc.Close(_fd);
        _fd = -1;
    }
}
