using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// Signal dispositions and the blocked mask are recorded and reported back; no signal is
// delivered yet (a fault still kills the process as with the default action).
public sealed partial class LinuxPersonality
{
    private const ulong Unblockable = (1UL << (LinuxAbi.SIGKILL - 1)) | (1UL << (LinuxAbi.SIGSTOP - 1));

    // rt_sigaction: struct sigaction on riscv64 is {handler, flags, mask}, 24 bytes.
    private static long SigAction(IUserStrand s, LinuxProcess p, int signal, ulong actVa, ulong oldVa, ulong setSize)
    {
        if (setSize != 8 || signal < 1 || signal > LinuxAbi.NSIG) return -Errno.EINVAL;
        if (actVa != 0 && (signal == LinuxAbi.SIGKILL || signal == LinuxAbi.SIGSTOP)) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[24];
        (ulong Handler, ulong Flags, ulong Mask) next = default;
        if (actVa != 0)
        {
            if (!s.Memory.CopyIn(actVa, b)) return -Errno.EFAULT;
            next = (BinaryPrimitives.ReadUInt64LittleEndian(b), BinaryPrimitives.ReadUInt64LittleEndian(b[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(b[16..]) & ~Unblockable);
        }
        var old = p.SignalActions[signal];
        if (actVa != 0) p.SignalActions[signal] = next;
        if (oldVa == 0) return 0;
        BinaryPrimitives.WriteUInt64LittleEndian(b, old.Handler);
        BinaryPrimitives.WriteUInt64LittleEndian(b[8..], old.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(b[16..], old.Mask);
        return s.Memory.CopyOut(oldVa, b) ? 0 : -Errno.EFAULT;
    }

    private static long SigProcMask(IUserStrand s, LinuxProcess p, int how, ulong setVa, ulong oldVa, ulong setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[8];
        ulong old = p.BlockedSignals, next = old;
        if (setVa != 0)
        {
            if (!s.Memory.CopyIn(setVa, b)) return -Errno.EFAULT;
            ulong set = BinaryPrimitives.ReadUInt64LittleEndian(b);
            switch (how)
            {
                case LinuxAbi.SIG_BLOCK: next = old | set; break;
                case LinuxAbi.SIG_UNBLOCK: next = old & ~set; break;
                case LinuxAbi.SIG_SETMASK: next = set; break;
                default: return -Errno.EINVAL;
            }
        }
        if (oldVa != 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, old);
            if (!s.Memory.CopyOut(oldVa, b)) return -Errno.EFAULT;
        }
        p.BlockedSignals = next & ~Unblockable;
        return 0;
    }
}
