using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// futex and sleeping. futex blocks through the restart contract; nanosleep suspends with a continuation
// (docs/WAITING.md). Both keep their absolute deadline (and, for a futex, whether a wake arrived) in the
// thread, so that a call a signal restarts goes on where it was.
public sealed partial class LinuxPersonality
{
    // nanosleep's continuation (made by Attach): ends the sleep at its deadline.
    private SyscallContinuation? _sleepDone;

    // Threads waiting on each futex word, oldest first.
    private readonly Dictionary<FutexKey, List<LinuxThread>> _futexWaiters = new();

    // futex(uaddr, op, val, timeout | val2, uaddr2, val3).
    private long Futex(IUserStrand s, LinuxThread t, ulong uaddr, int op, uint val, ulong timeout, ulong uaddr2, uint val3)
    {
        int cmd = op & ~(LinuxAbi.FUTEX_PRIVATE_FLAG | LinuxAbi.FUTEX_CLOCK_REALTIME);
        if ((uaddr & 3) != 0) return -Errno.EINVAL;
        if (_strands == null) return -Errno.ENOSYS;
        var key = new FutexKey(t.Process.MemoryIdentity, uaddr);
        switch (cmd)
        {
            case LinuxAbi.FUTEX_WAIT:
                return FutexWait(s, t, key, val, timeout, LinuxAbi.FUTEX_BITSET_MATCH_ANY, absolute: false, (op & LinuxAbi.FUTEX_CLOCK_REALTIME) != 0);
            case LinuxAbi.FUTEX_WAIT_BITSET:
                return val3 == 0 ? -Errno.EINVAL : FutexWait(s, t, key, val, timeout, val3, absolute: true, (op & LinuxAbi.FUTEX_CLOCK_REALTIME) != 0);
            case LinuxAbi.FUTEX_WAKE:
                return FutexWake(key, (int)val, LinuxAbi.FUTEX_BITSET_MATCH_ANY);
            case LinuxAbi.FUTEX_WAKE_BITSET:
                return val3 == 0 ? -Errno.EINVAL : FutexWake(key, (int)val, val3);
            case LinuxAbi.FUTEX_REQUEUE:
            case LinuxAbi.FUTEX_CMP_REQUEUE:
                if ((uaddr2 & 3) != 0 || (int)val < 0 || (int)timeout < 0) return -Errno.EINVAL;
                if (cmd == LinuxAbi.FUTEX_CMP_REQUEUE)
                {
                    int r = ReadWord(s, uaddr, out uint current);
                    if (r < 0) return r;
                    if (current != val3) return -Errno.EAGAIN;
                }
                return FutexRequeue(key, new FutexKey(t.Process.MemoryIdentity, uaddr2), (int)val, (int)timeout);
            default:
                return -Errno.ENOSYS;
        }
    }

    // FUTEX_WAIT(_BITSET): sleeps while *uaddr == val until woken, the deadline, or a signal. A restart after
    // a wake answers 0, after the deadline -ETIMEDOUT, otherwise it waits again.
    private long FutexWait(IUserStrand s, LinuxThread t, FutexKey key, uint val, ulong timeoutVa, uint bitset, bool absolute, bool realtime)
    {
        if (t.Call == BlockedCall.Futex)
        {
            if (t.FutexWoken) { EndCall(t); return 0; }
            if (t.Deadline >= 0 && s.Now >= t.Deadline) { ForgetFutexWait(t); EndCall(t); return -LinuxAbi.ETIMEDOUT; }
            s.Block(t.Queue, t.Deadline);
            return 0;
        }
        long deadline = -1;
        if (timeoutVa != 0)
        {
            int r = ReadTimespec(s, timeoutVa, out long ns);
            if (r < 0) return r;
            deadline = !absolute ? Saturate(s.Now, ns)
                : ns - (realtime ? _clock.RealtimeNanoseconds : _clock.MonotonicNanoseconds) + s.Now;
        }
        int read = ReadWord(s, key.Address, out uint current);
        if (read < 0) return read;
        if (current != val) return -Errno.EAGAIN;
        if (!_futexWaiters.TryGetValue(key, out var waiters)) _futexWaiters[key] = waiters = new List<LinuxThread>();
        waiters.Add(t);
        t.Call = BlockedCall.Futex;
        t.FutexKey = key;
        t.FutexBitset = bitset;
        t.FutexWoken = false;
        t.Deadline = deadline;
        s.Block(t.Queue ??= _strands!.CreateWaitQueue($"thread {t.Tid}"), deadline);
        return 0;
    }

    // Wakes up to count (at least one) waiters of key whose bitset meets bitset; returns how many.
    private int FutexWake(FutexKey key, int count, uint bitset)
    {
        if (!_futexWaiters.TryGetValue(key, out var waiters)) return 0;
        int woken = 0;
        for (int i = 0; i < waiters.Count && woken < Math.Max(count, 1);)
        {
            LinuxThread w = waiters[i];
            if ((w.FutexBitset & bitset) == 0) { i++; continue; }
            waiters.RemoveAt(i);
            w.FutexWoken = true;
            w.Queue!.WakeOne();
            woken++;
        }
        if (waiters.Count == 0) _futexWaiters.Remove(key);
        return woken;
    }

    // Wakes up to wake waiters of from and moves up to requeue of the rest to wait on to; returns both counts summed.
    private int FutexRequeue(FutexKey from, FutexKey to, int wake, int requeue)
    {
        int woken = wake > 0 ? FutexWake(from, wake, LinuxAbi.FUTEX_BITSET_MATCH_ANY) : 0;
        if (requeue == 0 || !_futexWaiters.TryGetValue(from, out var waiters)) return woken;
        int moved = Math.Min(requeue, waiters.Count);
        if (!_futexWaiters.TryGetValue(to, out var target)) _futexWaiters[to] = target = new List<LinuxThread>();
        for (int i = 0; i < moved; i++) { waiters[i].FutexKey = to; target.Add(waiters[i]); }
        waiters.RemoveRange(0, moved);
        if (waiters.Count == 0) _futexWaiters.Remove(from);
        return woken + moved;
    }

    // The thread stops waiting on its futex (timeout, signal, exit).
    private void ForgetFutexWait(LinuxThread t)
    {
        if (t.Call != BlockedCall.Futex || t.FutexWoken) return;
        if (_futexWaiters.TryGetValue(t.FutexKey, out var waiters))
        {
            waiters.Remove(t);
            if (waiters.Count == 0) _futexWaiters.Remove(t.FutexKey);
        }
    }

    // nanosleep(req, rem) and clock_nanosleep(clock, flags, req, rem): suspends on the scheduler's timers until the
    // deadline; SleepResumed finishes the call. Entered again only when a signal restarted it (t.Call is Sleep then).
    private long NanoSleep(IUserStrand s, LinuxThread t, int clock, int flags, ulong reqVa, ulong remVa)
    {
        if (t.Call == BlockedCall.Sleep) return SleepUntilDeadline(s, t);
        if (clock is not (0 or 1 or 7 or 11)) return clock is 2 or 3 ? -Errno.EOPNOTSUPP : -Errno.EINVAL;
        if ((flags & ~LinuxAbi.TIMER_ABSTIME) != 0) return -Errno.EINVAL;
        int r = ReadTimespec(s, reqVa, out long ns);
        if (r < 0) return r;
        long deadline = (flags & LinuxAbi.TIMER_ABSTIME) == 0 ? Saturate(s.Now, ns)
            : ns - (clock is 0 or 11 ? _clock.RealtimeNanoseconds : _clock.MonotonicNanoseconds) + s.Now;
        if (deadline <= s.Now) return 0;
        if (_sleepDone == null) return -Errno.ENOSYS;
        t.Call = BlockedCall.Sleep;
        t.Deadline = deadline;
        return SleepUntilDeadline(s, t);
    }

    // The sleep goes on until t.Deadline: 0 once it has passed, otherwise the strand suspends (again).
    private long SleepUntilDeadline(IUserStrand s, LinuxThread t)
    {
        if (s.Now >= t.Deadline) { EndCall(t); return 0; }
        s.Suspend(null, t.Deadline, _sleepDone!);
        return 0;
    }

    // nanosleep's continuation. A signal hands the call to the restart model: delivery fails it with -EINTR
    // (AbortBlockedCall writes the time left) or, if nothing was delivered, it runs again to the same deadline.
    private long SleepResumed(IUserStrand s, WakeReason reason)
    {
        if (ThreadOf(s) is not { } t || t.Call != BlockedCall.Sleep) return -Errno.EINTR;
        return reason == WakeReason.Interrupted ? SyscallContinuation.Restart : SleepUntilDeadline(s, t);
    }

    private static void EndCall(LinuxThread t)
    {
        t.Call = BlockedCall.None;
        t.Deadline = -1;
        t.FutexWoken = false;
    }

    // Reads a struct timespec as nanoseconds; -EINVAL if negative or tv_nsec is out of range.
    private static int ReadTimespec(IUserStrand s, ulong va, out long ns)
    {
        ns = 0;
        Span<byte> b = stackalloc byte[16];
        if (!s.Memory.CopyIn(va, b)) return -Errno.EFAULT;
        long sec = BinaryPrimitives.ReadInt64LittleEndian(b), nsec = BinaryPrimitives.ReadInt64LittleEndian(b[8..]);
        if (sec < 0 || nsec is < 0 or > 999_999_999) return -Errno.EINVAL;
        ns = sec > (long.MaxValue - nsec) / 1_000_000_000 ? long.MaxValue : sec * 1_000_000_000 + nsec;
        return 0;
    }

    private static int ReadWord(IUserStrand s, ulong va, out uint value)
    {
        Span<byte> b = stackalloc byte[4];
        value = 0;
        if (!s.Memory.CopyIn(va, b)) return -Errno.EFAULT;
        value = BinaryPrimitives.ReadUInt32LittleEndian(b);
        return 0;
    }

    private static long Saturate(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
