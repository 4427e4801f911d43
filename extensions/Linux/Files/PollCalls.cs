using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// The poll family: ppoll and pselect6 here, epoll_pwait in Epoll.cs. (A partial of LinuxPersonality kept in Files/.)
//
// The readiness model. Every file description answers Poll() (POLLIN, POLLOUT, POLLHUP, POLLERR as poll(2)
// reports them), computed from its state at the moment of the call. Every change of state that can make a
// description ready (pipe data or a closed end, console input, a socket's data, connection or peer close)
// wakes the one shared Pollers queue. A waiting poll, select or epoll call scans its descriptors; if none is
// ready it blocks on Pollers (restart model, docs/WAITING.md) until a wake or its deadline, and scans again.
// Nothing spins: a thread waits only for a change somewhere. Limitations: the queue is shared, so a change
// wakes every waiting poller (each rescans its own set); a per-description waiter list would wake only the
// interested ones. The signal mask arguments of ppoll, pselect6 and epoll_pwait are not applied.
public sealed partial class LinuxPersonality
{
    // Largest number of descriptors pselect6 accepts (its sets are copied into the scratch buffer).
    private const int SelectLimit = 8 * 1024;

    // ppoll(fds, nfds, timeout, sigmask, sigsetsize): struct pollfd {int fd; short events, revents}.
    // Answers the number of ready entries; 0 when the timeout passed; blocks otherwise.
    private long Ppoll(IUserStrand s, LinuxProcess p, ulong fdsVa, ulong count, ulong timeoutVa)
    {
        if (count > (ulong)p.DescriptorLimit) return -Errno.EINVAL;
        int r = ReadTimeout(s, timeoutVa, out long timeoutNs);
        if (r < 0) return r;
        Span<byte> fds = _scratch.AsSpan(0, (int)count * 8);
        if (!s.Memory.CopyIn(fdsVa, fds)) return -Errno.EFAULT;
        int ready = PollScan(p, fds);
        if (!s.Memory.CopyOut(fdsVa, fds)) return -Errno.EFAULT;
        return WaitForReadiness(s, ready, timeoutNs);
    }

    // pselect6(n, readfds, writefds, exceptfds, timeout, sigmask): fd_sets of longs; each set is rewritten to
    // the ready descriptors. A descriptor below n in any set that is not open fails the call with -EBADF.
    // Readable: POLLIN, POLLHUP or POLLERR; writable: POLLOUT or POLLERR; exceptional: POLLPRI.
    // Limitations: the time left is not written back to the timeout.
    private long Pselect(IUserStrand s, LinuxProcess p, long n, ulong readVa, ulong writeVa, ulong exceptVa, ulong timeoutVa)
    {
        if (n < 0) return -Errno.EINVAL;
        n = Math.Min(n, Math.Min(p.DescriptorLimit, SelectLimit));
        int r = ReadTimeout(s, timeoutVa, out long timeoutNs);
        if (r < 0) return r;
        int bytes = (int)((n + 63) / 64 * 8);
        Span<byte> all = _scratch.AsSpan(0, 6 * bytes);
        Span<byte> inRead = all[..bytes], inWrite = all[bytes..(2 * bytes)], inExcept = all[(2 * bytes)..(3 * bytes)];
        Span<byte> outRead = all[(3 * bytes)..(4 * bytes)], outWrite = all[(4 * bytes)..(5 * bytes)], outExcept = all[(5 * bytes)..];
        all.Clear();
        if (!CopyInSet(s, readVa, inRead) || !CopyInSet(s, writeVa, inWrite) || !CopyInSet(s, exceptVa, inExcept)) return -Errno.EFAULT;
        int ready = 0;
        for (int fd = 0; fd < n; fd++)
        {
            bool wantRead = Bit(inRead, fd), wantWrite = Bit(inWrite, fd), wantExcept = Bit(inExcept, fd);
            if (!wantRead && !wantWrite && !wantExcept) continue;
            FileDescription? f = p.Get(fd);
            if (f == null) return EndPoll(s, -Errno.EBADF);
            short state = f.Poll();
            if (wantRead && (state & (FileAbi.POLLIN | FileAbi.POLLHUP | FileAbi.POLLERR)) != 0) ready += Set(outRead, fd);
            if (wantWrite && (state & (FileAbi.POLLOUT | FileAbi.POLLERR)) != 0) ready += Set(outWrite, fd);
            if (wantExcept && (state & FileAbi.POLLPRI) != 0) ready += Set(outExcept, fd);
        }
        if (ready == 0 && timeoutNs != 0)
        {
            long waited = WaitForReadiness(s, 0, timeoutNs);
            if (waited < 0 || Waiting(s)) return waited;   // failed, or blocked (the call runs again)
        }
        bool copied = (readVa == 0 || s.Memory.CopyOut(readVa, outRead)) && (writeVa == 0 || s.Memory.CopyOut(writeVa, outWrite))
            && (exceptVa == 0 || s.Memory.CopyOut(exceptVa, outExcept));
        return EndPoll(s, copied ? ready : -Errno.EFAULT);
    }

    private static bool CopyInSet(IUserStrand s, ulong va, Span<byte> set) => va == 0 || s.Memory.CopyIn(va, set);
    private static bool Bit(ReadOnlySpan<byte> set, int fd) => (set[fd >> 3] & (1 << (fd & 7))) != 0;

    private static int Set(Span<byte> set, int fd)
    {
        set[fd >> 3] |= (byte)(1 << (fd & 7));
        return 1;
    }

    // A struct timespec at va as nanoseconds; -1 (wait forever) when va is 0. -EFAULT or -EINVAL for a bad one.
    private static int ReadTimeout(IUserStrand s, ulong va, out long timeoutNs)
    {
        timeoutNs = -1;
        return va == 0 ? 0 : ReadTimespec(s, va, out timeoutNs);
    }

    // Fills each entry's revents; returns how many are non-zero.
    private static int PollScan(LinuxProcess p, Span<byte> fds)
    {
        int ready = 0;
        for (int at = 0; at < fds.Length; at += 8)
        {
            int fd = BinaryPrimitives.ReadInt32LittleEndian(fds[at..]);
            short events = BinaryPrimitives.ReadInt16LittleEndian(fds[(at + 4)..]), revents = 0;
            if (fd >= 0)
            {
                FileDescription? f = p.Get(fd);
                revents = f == null ? FileAbi.POLLNVAL : (short)(PollState(f) & (events | FileAbi.POLLERR | FileAbi.POLLHUP));
            }
            BinaryPrimitives.WriteInt16LittleEndian(fds[(at + 6)..], revents);
            if (revents != 0) ready++;
        }
        return ready;
    }

    // f's readiness with the RDNORM/WRNORM twins of POLLIN/POLLOUT.
    private static short PollState(FileDescription f)
    {
        short state = f.Poll();
        if ((state & FileAbi.POLLIN) != 0) state |= FileAbi.POLLRDNORM;
        if ((state & FileAbi.POLLOUT) != 0) state |= FileAbi.POLLWRNORM;
        return state;
    }

    // The end of a scan shared by the poll family: a result (ready > 0, or an error) or a zero timeout ends
    // the call; otherwise the thread blocks on Pollers until a change or its deadline. As futex does, the thread
    // keeps the call's deadline (t.Call is Poll) from the call that blocked to its restarts; the end of the call
    // (EndPoll) and a signal that fails it with EINTR (AbortBlockedCall) clear it.
    private long WaitForReadiness(IUserStrand s, int ready, long timeoutNs)
    {
        if (ready != 0 || timeoutNs == 0) return EndPoll(s, ready);
        IWaitQueue? pollers = Pollers;
        if (pollers == null) return EndPoll(s, -Errno.ENOSYS);
        return WaitUntilDeadline(s, pollers, timeoutNs, 0);
    }

    // Blocks s on queue until the deadline of the call (set from timeoutNs, < 0 forever, when the call first
    // blocks); once it has passed the call ends with `atDeadline`. A pending signal ends it with -EINTR.
    private long WaitUntilDeadline(IUserStrand s, IWaitQueue queue, long timeoutNs, long atDeadline)
    {
        LinuxThread t = ThreadOf(s)!;
        if (t.Call != BlockedCall.Poll)
        {
            t.Call = BlockedCall.Poll;
            t.Deadline = timeoutNs < 0 ? -1 : Saturate(s.Now, timeoutNs);
        }
        if (t.Deadline >= 0 && s.Now >= t.Deadline) return EndPoll(s, atDeadline);
        if (s.SignalPending) return EndPoll(s, -Errno.EINTR);
        return Block(s, queue, t.Deadline);
    }

    // True while s's poll-family call waits (it blocked and will run again).
    private bool Waiting(IUserStrand s) => ThreadOf(s) is { Call: BlockedCall.Poll };

    // The poll call is over for this thread: forget its deadline.
    private long EndPoll(IUserStrand s, long result)
    {
        if (ThreadOf(s) is { Call: BlockedCall.Poll } t) EndCall(t);
        return result;
    }
}
