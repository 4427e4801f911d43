using System;
using System.Buffers.Binary;
using System.Numerics;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Extensions.Linux.Signals;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// Signals: dispositions, masks, sending (kill, tgkill, faults, SIGCHLD, SIGPIPE), and delivery on return to user.
public sealed partial class LinuxPersonality
{
    private const ulong Unblockable = (1UL << (LinuxAbi.SIGKILL - 1)) | (1UL << (LinuxAbi.SIGSTOP - 1));

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    // Signals whose default action is to ignore them (the stop signals' default is to stop: Signals/JobControl.cs).
    private static bool DefaultIgnored(int signal) => signal is LinuxAbi.SIGCHLD or LinuxAbi.SIGCONT or LinuxAbi.SIGURG or LinuxAbi.SIGWINCH;

    private static bool Ignored(LinuxProcess p, int signal)
    {
        ulong handler = p.SignalActions[signal].Handler;
        return handler == LinuxAbi.SIG_IGN || (handler == LinuxAbi.SIG_DFL && DefaultIgnored(signal));
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to the thread running <paramref name="strand"/> (as the kernel does for
    /// SIGPIPE on a write to a pipe with no reader). Delivered before the strand returns to user code.
    /// </summary>
    internal void RaiseSignal(IUserStrand strand, int signal)
    {
        if (ThreadOf(strand) is { } t && signal is > 0 and <= LinuxAbi.NSIG)
            SendToThread(t, signal, new SignalInfo(LinuxAbi.SI_USER, t.Process.Pid, t.Process.Identity.Uid, 0, 0));
    }

    // Queues a process-directed signal (one pending instance per signal); SIGKILL ends the process at once.
    private void SendToProcess(LinuxProcess p, int signal, in SignalInfo info)
    {
        if (p.Zombie || p.Exiting) return;
        if (signal == LinuxAbi.SIGKILL) { TerminateGroup(p, signal); return; }
        PrepareSignal(p, signal);
        if (Ignored(p, signal)) return;
        if ((p.Pending & Bit(signal)) == 0) p.PendingInfo[signal] = info;
        p.Pending |= Bit(signal);
        foreach (var t in p.Threads) UpdatePending(t);
    }

    // Queues a thread-directed signal.
    private void SendToThread(LinuxThread t, int signal, in SignalInfo info)
    {
        LinuxProcess p = t.Process;
        if (p.Zombie || p.Exiting) return;
        if (signal == LinuxAbi.SIGKILL) { TerminateGroup(p, signal); return; }
        PrepareSignal(p, signal);
        if (Ignored(p, signal) && (t.Blocked & Bit(signal)) == 0) return;
        if ((t.Pending & Bit(signal)) == 0) t.PendingInfo[signal] = info;
        t.Pending |= Bit(signal);
        UpdatePending(t);
    }

    // The strand's SignalPending: a deliverable signal waits.
    private static void UpdatePending(LinuxThread t)
    {
        bool pending = ((t.Pending | t.Process.Pending) & ~t.Blocked) != 0;
        if (pending != t.Strand.SignalPending) t.Strand.SignalPending = pending;
    }

    // Trap.ReturnToUser: delivers the lowest deliverable signal: ignore it, run its default action, or push a handler frame.
    private bool OnReturnToUser(IUserStrand s)
    {
        if (ThreadOf(s) is not { } t) return false;
        LinuxProcess p = t.Process;
        if (p.Stopped && !p.Exiting && StopThread(s, p)) return true;
        while (true)
        {
            ulong ready = (t.Pending | p.Pending) & ~t.Blocked;
            if (ready == 0 || s.HasExited) { s.SignalPending = false; return true; }
            int signal = BitOperations.TrailingZeroCount(ready) + 1;
            SignalInfo info;
            if ((t.Pending & Bit(signal)) != 0) { t.Pending &= ~Bit(signal); info = t.PendingInfo[signal]; }
            else { p.Pending &= ~Bit(signal); info = p.PendingInfo[signal]; }
            var action = p.SignalActions[signal];
            if (action.Handler == LinuxAbi.SIG_IGN || (action.Handler == LinuxAbi.SIG_DFL && DefaultIgnored(signal))) continue;
            if (action.Handler == LinuxAbi.SIG_DFL)
            {
                if (!IsStopSignal(signal)) TerminateGroup(p, signal);
                else if (!StopGroup(s, p, signal)) continue;   // no wait queues to stop on: ignored, as before job control
                return true;
            }
            ulong oldMask = t.Call == BlockedCall.Suspend ? t.SavedMask : t.Blocked;
            if (s.RestartingSyscall && (t.Call == BlockedCall.Suspend
                || (t.Call != BlockedCall.Vfork && (action.Flags & LinuxAbi.SA_RESTART) == 0)))
            {
                AbortBlockedCall(s, t);
                s.CompleteRestart(-Errno.EINTR);
            }
            if (!SignalFrame.Push(s, t, signal, info, action.Handler, (action.Flags & LinuxAbi.SA_ONSTACK) != 0, oldMask))
            {
                TerminateGroup(p, LinuxAbi.SIGSEGV);
                return true;
            }
            if ((action.Flags & LinuxAbi.SA_RESETHAND) != 0) p.SignalActions[signal] = default;
            t.Blocked |= (action.Mask | ((action.Flags & LinuxAbi.SA_NODEFER) != 0 ? 0 : Bit(signal))) & ~Unblockable;
            UpdatePending(t);
            return true;
        }
    }

    // A blocking call interrupted for good (-EINTR): forget its wait, report nanosleep's remaining time.
    private void AbortBlockedCall(IUserStrand s, LinuxThread t)
    {
        if (t.Call == BlockedCall.Futex) ForgetFutexWait(t);
        if (t.Call == BlockedCall.Sleep && t.Deadline >= 0)
        {
            ulong rem = s.Number == Sys.nanosleep ? s.Arg1 : (s.Arg1 & LinuxAbi.TIMER_ABSTIME) == 0 ? s.Arg3 : 0;
            long left = Math.Max(0, t.Deadline - s.Now);
            if (rem != 0) CopyOutPair(s, rem, left / 1_000_000_000, left % 1_000_000_000);
        }
        t.Call = BlockedCall.None;
        t.Deadline = -1;
    }

    // Trap.Fault: a fault becomes a forced thread signal (unblocked, handler kept unless ignored) with si_addr.
    private bool OnFault(UserFault f)
    {
        if (ThreadOf(f.Strand) is not { } t) return false;
        int signal = Termination.FaultSignal(f.Kind);
        int code = f.Kind switch
        {
            FaultKind.PageFault => f.Mapped ? LinuxAbi.SEGV_ACCERR : LinuxAbi.SEGV_MAPERR,
            FaultKind.IllegalInstruction => LinuxAbi.ILL_ILLOPC,
            FaultKind.Breakpoint => LinuxAbi.TRAP_BRKPT,
            _ => LinuxAbi.BUS_ADRALN,
        };
        LinuxProcess p = t.Process;
        ulong address = f.Kind is FaultKind.IllegalInstruction or FaultKind.Breakpoint ? f.Strand.Pc : f.Address;
        if ((t.Blocked & Bit(signal)) != 0 || p.SignalActions[signal].Handler == LinuxAbi.SIG_IGN)
        {
            p.SignalActions[signal] = default;   // force_sig: a blocked or ignored fault signal kills
            t.Blocked &= ~Bit(signal);
        }
        if ((t.Pending & Bit(signal)) != 0 && p.SignalActions[signal].Handler != LinuxAbi.SIG_DFL)
        {
            TerminateGroup(p, signal);           // faulting again before the handler ran
            return true;
        }
        t.PendingInfo[signal] = new SignalInfo(code, 0, 0, 0, address);
        t.Pending |= Bit(signal);
        UpdatePending(t);
        return true;
    }

    // kill(pid, sig): pid > 0 one process, 0 the caller's group, -1 every process but init and the caller, < -1 group -pid.
    private long Kill(LinuxProcess p, int pid, int signal)
    {
        if (signal < 0 || signal > LinuxAbi.NSIG) return -Errno.EINVAL;
        if (pid == int.MinValue) return -Errno.ESRCH;
        var info = new SignalInfo(LinuxAbi.SI_USER, p.Pid, p.Identity.Uid, 0, 0);
        if (pid > 0)
        {
            LinuxProcess? target = _processes.Find(pid);
            if (target == null) return -Errno.ESRCH;
            if (signal != 0) SendToProcess(target, signal, info);
            return 0;
        }
        bool found = false;
        foreach (var target in new System.Collections.Generic.List<LinuxProcess>(_processes.All))
        {
            bool match = pid == -1 ? target.Pid != 1 && target != p : target.Pgid == (pid == 0 ? p.Pgid : -pid);
            if (!match || target.Zombie) continue;
            found = true;
            if (signal != 0) SendToProcess(target, signal, info);
        }
        return found ? 0 : -Errno.ESRCH;
    }

    // tgkill(tgid, tid, sig) and tkill(tid, sig) (tgid -1).
    private long ThreadKill(LinuxProcess p, int tgid, int tid, int signal)
    {
        if (signal < 0 || signal > LinuxAbi.NSIG || tid <= 0 || (tgid != -1 && tgid <= 0)) return -Errno.EINVAL;
        LinuxThread? target = _processes.FindThread(tid);
        if (target == null || (tgid != -1 && target.Process.Pid != tgid)) return -Errno.ESRCH;
        if (signal != 0) SendToThread(target, signal, new SignalInfo(LinuxAbi.SI_TKILL, p.Pid, p.Identity.Uid, 0, 0));
        return 0;
    }

    // rt_sigaction: struct sigaction on riscv64 is {handler, flags, mask}, 24 bytes. Setting SIG_IGN (or a default-ignored
    // SIG_DFL) discards pending instances.
    private long SigAction(IUserStrand s, LinuxProcess p, int signal, ulong actVa, ulong oldVa, ulong setSize)
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
        if (oldVa != 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, old.Handler);
            BinaryPrimitives.WriteUInt64LittleEndian(b[8..], old.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(b[16..], old.Mask);
            if (!s.Memory.CopyOut(oldVa, b)) return -Errno.EFAULT;
        }
        if (actVa == 0) return 0;
        p.SignalActions[signal] = next;
        if (Ignored(p, signal))
        {
            p.Pending &= ~Bit(signal);
            foreach (var t in p.Threads) { t.Pending &= ~Bit(signal); UpdatePending(t); }
        }
        return 0;
    }

    private static long SigProcMask(IUserStrand s, LinuxThread t, int how, ulong setVa, ulong oldVa, ulong setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[8];
        ulong old = t.Blocked, next = old;
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
        t.Blocked = next & ~Unblockable;
        UpdatePending(t);
        return 0;
    }

    // rt_sigpending(set, size): blocked signals waiting.
    private static long SigPending(IUserStrand s, LinuxThread t, ulong setVa, ulong setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (t.Pending | t.Process.Pending) & t.Blocked);
        return s.Memory.CopyOut(setVa, b) ? 0 : -Errno.EFAULT;
    }

    // rt_sigsuspend(set, size): waits with the mask replaced by set until a handler runs, then fails with -EINTR;
    // the handler's frame keeps the old mask, so rt_sigreturn restores it.
    private long SigSuspend(IUserStrand s, LinuxThread t, ulong setVa, ulong setSize)
    {
        if (t.Call != BlockedCall.Suspend)
        {
            if (setSize != 8) return -Errno.EINVAL;
            Span<byte> b = stackalloc byte[8];
            if (!s.Memory.CopyIn(setVa, b)) return -Errno.EFAULT;
            if (_strands == null) return -Errno.ENOSYS;
            t.SavedMask = t.Blocked;
            t.Blocked = BinaryPrimitives.ReadUInt64LittleEndian(b) & ~Unblockable;
            t.Call = BlockedCall.Suspend;
            UpdatePending(t);
        }
        s.Block(t.Queue ??= _strands!.CreateWaitQueue($"thread {t.Tid}"));
        return 0;
    }

    // rt_sigreturn: back from a handler; answers the restored a0 so the result register keeps it.
    private long SigReturn(IUserStrand s, LinuxThread t)
    {
        if (!SignalFrame.Pop(s, out ulong mask))
        {
            TerminateGroup(t.Process, LinuxAbi.SIGSEGV);
            return 0;
        }
        t.Blocked = mask & ~Unblockable;
        UpdatePending(t);
        return (long)s.GetRegister(10);
    }

    // sigaltstack(ss, old): stack_t {ss_sp, ss_flags (int), ss_size}, 24 bytes. EPERM while running on it.
    private static long SigAltStack(IUserStrand s, LinuxThread t, ulong newVa, ulong oldVa)
    {
        Span<byte> b = stackalloc byte[24];
        bool onStack = SignalFrame.OnAltStack(t, s.GetRegister(2));
        if (oldVa != 0)
        {
            b.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(b, t.AltStackBase);
            BinaryPrimitives.WriteInt32LittleEndian(b[8..], onStack ? LinuxAbi.SS_ONSTACK : t.AltStackFlags);
            BinaryPrimitives.WriteUInt64LittleEndian(b[16..], t.AltStackSize);
            if (!s.Memory.CopyOut(oldVa, b)) return -Errno.EFAULT;
        }
        if (newVa == 0) return 0;
        if (!s.Memory.CopyIn(newVa, b)) return -Errno.EFAULT;
        if (onStack) return -Errno.EPERM;
        ulong sp = BinaryPrimitives.ReadUInt64LittleEndian(b), size = BinaryPrimitives.ReadUInt64LittleEndian(b[16..]);
        int flags = BinaryPrimitives.ReadInt32LittleEndian(b[8..]);
        if (flags == LinuxAbi.SS_DISABLE)
        {
            t.AltStackBase = t.AltStackSize = 0;
            t.AltStackFlags = LinuxAbi.SS_DISABLE;
            return 0;
        }
        if ((flags & ~(1 << 31)) != 0 && flags != LinuxAbi.SS_ONSTACK) return -Errno.EINVAL; // SS_AUTODISARM accepted
        if (size < LinuxAbi.MINSIGSTKSZ) return -Errno.ENOMEM;
        t.AltStackBase = sp;
        t.AltStackSize = size;
        t.AltStackFlags = 0;
        return 0;
    }
}
