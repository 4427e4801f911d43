using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// Descriptor calls: dup, dup3, fcntl, pipe2 (the poll family is in PollCalls.cs). (A partial of LinuxPersonality kept in Files/.)
public sealed partial class LinuxPersonality
{
    private static long Dup(LinuxProcess p, uint fd) => p.Files.Duplicate((int)Math.Min(fd, int.MaxValue), closeOnExec: false, p.DescriptorLimit);

    // dup3 (glibc's dup2 on riscv64, which has no dup2): oldfd == newfd is -EINVAL; only O_CLOEXEC is a valid flag.
    private static long Dup3(LinuxProcess p, uint oldFd, uint newFd, int flags)
    {
        if ((flags & ~LinuxAbi.O_CLOEXEC) != 0) return -Errno.EINVAL;
        if (oldFd == newFd) return p.Get(oldFd) == null ? -Errno.EBADF : -Errno.EINVAL;
        if (oldFd > int.MaxValue || newFd > int.MaxValue) return -Errno.EBADF;
        return p.Files.DuplicateTo((int)oldFd, (int)newFd, (flags & LinuxAbi.O_CLOEXEC) != 0, p.DescriptorLimit);
    }

    private long Fcntl(IUserStrand s, LinuxProcess p, uint fd, int command, ulong arg)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        int d = (int)fd;
        switch (command)
        {
            case FileAbi.F_DUPFD:
            case FileAbi.F_DUPFD_CLOEXEC:
                if (arg >= (ulong)p.DescriptorLimit) return -Errno.EINVAL;
                return p.Files.Duplicate(d, command == FileAbi.F_DUPFD_CLOEXEC, p.DescriptorLimit, (int)arg);
            case FileAbi.F_GETFD: return p.Files.GetDescriptorFlags(d);
            case FileAbi.F_SETFD: return p.Files.SetDescriptorFlags(d, (int)arg);
            case FileAbi.F_GETFL: return f.StatusFlags;
            case FileAbi.F_SETFL:
                f.StatusFlags = (f.StatusFlags & ~FileAbi.SettableStatusFlags) | ((int)arg & FileAbi.SettableStatusFlags);
                return 0;
            case F_GETLK or F_SETLK or F_SETLKW or F_OFD_GETLK or F_OFD_SETLK or F_OFD_SETLKW:
                return RecordLock(s, p, f, command, arg);
            default: return -Errno.EINVAL;
        }
    }

    // pipe2: two descriptors (read end, write end) written as int[2] at fdsVa.
    private long Pipe2(IUserStrand s, LinuxProcess p, ulong fdsVa, int flags)
    {
        if ((flags & ~(LinuxAbi.O_CLOEXEC | LinuxAbi.O_NONBLOCK)) != 0) return -Errno.EINVAL;
        ulong inode = _pipeInodes + 1;
        IWaitQueue? queue = NewQueue("pipe:" + inode);
        if (queue == null) return -Errno.ENOSYS; // no source of wait queues (see UseWaitQueues)
        _pipeInodes = inode;
        var pipe = new Pipe(queue, Pollers, inode);
        var (read, write) = pipe.Open(flags);
        return InstallPair(s, p, read, write, (flags & LinuxAbi.O_CLOEXEC) != 0, fdsVa);
    }

    // pipe2 and socketpair: installs both files (taking their references) and writes the two descriptors as
    // int[2] at va; 0, or the error with nothing installed.
    private static long InstallPair(IUserStrand s, LinuxProcess p, FileDescription first, FileDescription second, bool closeOnExec, ulong va)
    {
        int a = p.Install(first, closeOnExec);
        if (a < 0) { first.Release(); second.Release(); return a; }
        int b = p.Install(second, closeOnExec);
        if (b < 0) { p.Files.Close(a); second.Release(); return b; }
        Span<byte> fds = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(fds, a);
        BinaryPrimitives.WriteInt32LittleEndian(fds[4..], b);
        if (s.Memory.CopyOut(va, fds)) return 0;
        p.Files.Close(a);
        p.Files.Close(b);
        return -Errno.EFAULT;
    }
}
