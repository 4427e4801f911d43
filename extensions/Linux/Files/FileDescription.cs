using Spindle.Extensions.Linux.Abi;
using System;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// An open file description behind a file descriptor. Every operation returns a count or
/// offset, or a negated errno; the defaults answer as Linux does for a file that cannot do it.
/// </summary>
internal abstract class FileDescription
{
    public virtual long Read(Span<byte> buffer) => -Errno.EBADF;
    public virtual long Write(ReadOnlySpan<byte> buffer) => -Errno.EBADF;
    public virtual long ReadAt(Span<byte> buffer, long offset) => -Errno.ESPIPE;
    public virtual long WriteAt(ReadOnlySpan<byte> buffer, long offset) => -Errno.ESPIPE;
    public virtual long Seek(long offset, SeekWhence whence) => -Errno.ESPIPE;
    public abstract int Stat(out FileStatus status);
    public virtual int ReadDirectory(Span<byte> buffer) => -Errno.ENOTDIR;

    /// <summary>ioctl TCGETS / TIOCGWINSZ: fills <paramref name="result"/>; -ENOTTY unless a terminal.</summary>
    public virtual int TerminalControl(uint request, Span<byte> result) => -Errno.ENOTTY;

    /// <summary>The absolute path a directory was opened by (for *at calls relative to it); null for other files.</summary>
    public virtual byte[]? DirectoryPath => null;

    public virtual void Close() { }
}

/// <summary>One of the host's standard streams (0 in, 1 out, 2 error).</summary>
internal sealed class ConsoleFile(IConsole console, int stream) : FileDescription
{
    public override long Read(Span<byte> buffer) => stream == 0 ? console.Read(buffer) : -Errno.EBADF;
    public override long Write(ReadOnlySpan<byte> buffer) => stream == 0 ? -Errno.EBADF : console.Write(stream, buffer);
    public override int Stat(out FileStatus status) => console.Stat(stream, out status);

    public override int TerminalControl(uint request, Span<byte> result) => request switch
    {
        LinuxAbi.TCGETS => console.GetTerminalAttributes(stream, result),
        LinuxAbi.TIOCGWINSZ => console.GetWindowSize(stream, result),
        _ => -Errno.ENOTTY,
    };
}

/// <summary>A host file or directory opened through the file system service.</summary>
internal sealed class HostFileDescription(IHostFile file, byte[]? directoryPath, bool readable, bool writable) : FileDescription
{
    public override long Read(Span<byte> buffer) =>
        !readable ? -Errno.EBADF : file.IsDirectory ? -Errno.EISDIR : file.Read(buffer);
    public override long Write(ReadOnlySpan<byte> buffer) => writable ? file.Write(buffer) : -Errno.EBADF;
    public override long ReadAt(Span<byte> buffer, long offset) =>
        !readable ? -Errno.EBADF : file.IsDirectory ? -Errno.EISDIR : file.ReadAt(buffer, offset);
    public override long WriteAt(ReadOnlySpan<byte> buffer, long offset) => writable ? file.WriteAt(buffer, offset) : -Errno.EBADF;
    public override long Seek(long offset, SeekWhence whence) => file.Seek(offset, whence);
    public override int Stat(out FileStatus status) => file.Stat(out status);
    public override int ReadDirectory(Span<byte> buffer) => file.IsDirectory ? file.ReadDirectory(buffer) : -Errno.ENOTDIR;
    public override byte[]? DirectoryPath => file.IsDirectory ? directoryPath : null;
    public override void Close() => file.Close();
}
