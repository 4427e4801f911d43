using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// flock(2) and fcntl's record locks (F_GETLK, F_SETLK, F_SETLKW and the OFD variants) over the
// personality's lock table (Files/FileLocks.cs). A lock that must wait blocks the thread on the table's
// queue and the call restarts when any lock is released (the restart contract); a signal ends the wait
// with EINTR. (A partial of LinuxPersonality kept in Files/.)
public sealed partial class LinuxPersonality
{
    private const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private const int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    private const short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;

    private FileLocks? _fileLocks;
    private FileLocks Locks => _fileLocks ??= new FileLocks(NewQueue);

    private long Flock(IUserStrand s, LinuxProcess p, uint fd, int operation)
    {
        FileDescription? f = p.Get(fd);
        if (f == null) return -Errno.EBADF;
        int kind = operation & ~LOCK_NB;
        if (kind is not (LOCK_SH or LOCK_EX or LOCK_UN)) return -Errno.EINVAL;
        if (f.Node is not { } node) return -Errno.EINVAL;
        int r = Locks.Flock(node, f, kind == LOCK_EX, kind == LOCK_UN);
        if (r != -Errno.EAGAIN || (operation & LOCK_NB) != 0) return r;
        return Locks.Waiters is { } queue ? Block(s, queue, -1) : r;
    }

    // The record-lock commands of fcntl; -EINVAL for any other command.
    private long RecordLock(IUserStrand s, LinuxProcess p, FileDescription f, int command, ulong va)
    {
        bool ofd = command is F_OFD_GETLK or F_OFD_SETLK or F_OFD_SETLKW;
        bool test = command is F_GETLK or F_OFD_GETLK, wait = command is F_SETLKW or F_OFD_SETLKW;
        Span<byte> b = stackalloc byte[32]; // struct flock: l_type, l_whence (short), l_start, l_len (long), l_pid (int)
        if (!s.Memory.CopyIn(va, b)) return -Errno.EFAULT;
        short type = BinaryPrimitives.ReadInt16LittleEndian(b), whence = BinaryPrimitives.ReadInt16LittleEndian(b[2..]);
        long start = BinaryPrimitives.ReadInt64LittleEndian(b[8..]), length = BinaryPrimitives.ReadInt64LittleEndian(b[16..]);
        if (type is not (F_RDLCK or F_WRLCK or F_UNLCK)) return -Errno.EINVAL;
        if (ofd && BinaryPrimitives.ReadInt32LittleEndian(b[24..]) != 0) return -Errno.EINVAL;
        if (f.Node is not { } node) return -Errno.EINVAL;
        int r = LockRange(f, whence, start, length, out long from, out long to);
        if (r < 0) return r;
        object owner = ofd ? f : p.Files;
        if (test)
        {
            if (type == F_UNLCK) return -Errno.EINVAL;
            var conflict = Locks.Test(node, owner, type == F_WRLCK, from, to);
            if (conflict is { } c)
            {
                BinaryPrimitives.WriteInt16LittleEndian(b, c.Exclusive ? F_WRLCK : F_RDLCK);
                BinaryPrimitives.WriteInt16LittleEndian(b[2..], 0);
                BinaryPrimitives.WriteInt64LittleEndian(b[8..], c.Start);
                BinaryPrimitives.WriteInt64LittleEndian(b[16..], c.End == long.MaxValue ? 0 : c.End - c.Start);
                BinaryPrimitives.WriteInt32LittleEndian(b[24..], c.Pid);
            }
            else BinaryPrimitives.WriteInt16LittleEndian(b, F_UNLCK);
            return s.Memory.CopyOut(va, b) ? 0 : -Errno.EFAULT;
        }
        if ((type == F_RDLCK && !f.CanRead) || (type == F_WRLCK && !f.CanWrite)) return -Errno.EBADF;
        bool? kind = type == F_UNLCK ? null : type == F_WRLCK;
        r = Locks.Set(node, owner, f, kind, from, to, ofd ? -1 : p.Pid);
        if (r != -Errno.EAGAIN || !wait) return r;
        return Locks.Waiters is { } queue ? Block(s, queue, -1) : r;
    }

    // A struct flock's range as [from, to): whence SEEK_SET, SEEK_CUR or SEEK_END; a length of 0 runs to the
    // end of the file however far; a negative length counts back from start.
    private static int LockRange(FileDescription f, short whence, long start, long length, out long from, out long to)
    {
        from = to = 0;
        long origin;
        switch (whence)
        {
            case 0: origin = 0; break;
            case 1: origin = f.Seek(0, SeekWhence.Current); break;
            case 2:
                int r = f.Stat(out FileStatus st);
                origin = r < 0 ? r : st.Size;
                break;
            default: return -Errno.EINVAL;
        }
        if (origin < 0) return (int)origin;
        if (start > long.MaxValue - origin) return -Errno.EOVERFLOW;
        from = origin + start;
        if (length > 0)
        {
            if (from > long.MaxValue - length) return -Errno.EOVERFLOW;
            to = from + length;
        }
        else if (length == 0) to = long.MaxValue;
        else
        {
            to = from;
            from += length;
        }
        return from < 0 ? -Errno.EINVAL : 0;
    }
}
