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

    public void Close()
    {
        if (_fd < 0) return;
        Libc.Close(_fd);
        _fd = -1;
    }
}
