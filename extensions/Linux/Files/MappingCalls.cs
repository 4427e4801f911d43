using System;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Linux;

// The file side of mmap (a partial of LinuxPersonality kept in Files/).
public sealed partial class LinuxPersonality
{
    /// <summary>
    /// The file side of a private file mapping: fills <paramref name="page"/> with the bytes of
    /// <paramref name="fd"/> from <paramref name="offset"/>, zeros past the end of the file. Returns
    /// the file bytes copied, -EBADF if fd is not open, -EACCES if it is not open for reading,
    /// -ENODEV if the file cannot be mapped (pipe, directory, device), -EINVAL for a negative offset.
    /// </summary>
    internal long ReadForMapping(LinuxProcess p, int fd, long offset, Span<byte> page)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        if (!f.Mappable) return -Errno.ENODEV;
        if (!f.CanRead) return -Errno.EACCES;
        if (offset < 0) return -Errno.EINVAL;
        long done = 0;
        while (done < page.Length)
        {
            long n = f.ReadAt(page[(int)done..], offset + done);
            if (n < 0 && done == 0) return n;
            if (n <= 0) break;
            done += n;
        }
        page[(int)done..].Clear();
        return done;
    }
}
