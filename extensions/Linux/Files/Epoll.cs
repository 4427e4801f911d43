using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux.Files
{
    /// <summary>
    /// An epoll instance: the interest list, one entry per registered descriptor (its file description, the
    /// events asked for, the user's 64-bit data). It holds no reference on the files: an entry whose descriptor
    /// no longer names the same description is dropped at the next wait. Readiness is level-triggered and
    /// computed by scanning the list (see the readiness model in PollCalls.cs). Used on the CPU's thread only.
    /// Limitations: EPOLLET is accepted and reported as level-triggered (a program that reads until EAGAIN, as
    /// edge-triggered programs must, sees the same data); an entry lives as long as its descriptor, not as long
    /// as the description (Linux keeps it while a dup of the descriptor is open); ready entries are reported in
    /// descriptor order, not in the order they became ready; an epoll instance cannot be added to another.
    /// </summary>
    internal sealed class EpollFile() : FileDescription(2 /* O_RDWR */)
    {
        public const uint EPOLLIN = 1, EPOLLPRI = 2, EPOLLOUT = 4, EPOLLERR = 8, EPOLLHUP = 0x10, EPOLLRDNORM = 0x40,
            EPOLLWRNORM = 0x100, EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1u << 28, EPOLLWAKEUP = 1u << 29,
            EPOLLONESHOT = 1u << 30, EPOLLET = 1u << 31;

        /// <summary>The input flags epoll_ctl takes beyond the poll events.</summary>
        public const uint ControlFlags = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;

        /// <summary>One registration: a disarmed one-shot entry has no events left until EPOLL_CTL_MOD.</summary>
        public sealed class Interest(FileDescription file, uint events, ulong data)
        {
            public FileDescription File = file;
            public uint Events = events;
            public ulong Data = data;
        }

        /// <summary>The registrations by descriptor (epoll_pwait reports in descriptor order).</summary>
        public readonly SortedDictionary<int, Interest> Interests = [];

        /// <summary>An epoll instance is readable while one of its entries is ready.</summary>
        public override short Poll()
        {
            foreach (var entry in Interests.Values)
                if (Ready(entry) != 0) return FileAbi.POLLIN;
            return 0;
        }

        /// <summary>The events of <paramref name="entry"/> its file reports now (errors and hang-ups always).</summary>
        public static uint Ready(Interest entry)
        {
            uint state = (ushort)entry.File.Poll();
            if ((state & FileAbi.POLLIN) != 0) state |= EPOLLRDNORM;
            if ((state & FileAbi.POLLOUT) != 0) state |= EPOLLWRNORM;
            if ((state & FileAbi.POLLHUP) != 0) state |= EPOLLRDHUP;
            uint asked = entry.Events & ~ControlFlags;
            return asked == 0 && (entry.Events & EPOLLONESHOT) != 0 ? 0 : state & (asked | EPOLLERR | EPOLLHUP);
        }

        public override int Stat(out FileStatus status)
        {
            status = new FileStatus { Device = 0xd, Mode = 0x180, LinkCount = 1, BlockSize = 4096 };
            return 0;
        }
    }
}

namespace Spindle.Extensions.Linux
{
    // epoll_create1, epoll_ctl, epoll_pwait (riscv64 has no epoll_create or epoll_wait; glibc maps them here).
    public sealed partial class LinuxPersonality
    {
        private const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;

        // Most events one epoll_pwait returns (they are staged in the scratch buffer, 16 bytes each).
        private const int EpollMaxEvents = 4096;

        private static long EpollCreate(LinuxProcess p, int flags)
        {
            if ((flags & ~LinuxAbi.O_CLOEXEC) != 0) return -Errno.EINVAL;
            return p.Install(new EpollFile(), (flags & LinuxAbi.O_CLOEXEC) != 0);
        }

        // epoll_ctl(epfd, op, fd, event): struct epoll_event {u32 events; u64 data} is 16 bytes on riscv64.
        private static long EpollControl(IUserStrand s, LinuxProcess p, int epfd, int op, int fd, ulong eventVa)
        {
            FileDescription? e = p.Get(epfd), f = p.Get(fd);
            if (e == null || f == null) return -Errno.EBADF;
            if (e is not EpollFile epoll || ReferenceEquals(e, f)) return -Errno.EINVAL;
            if (!Pollable(f)) return -Errno.EPERM;
            uint events = 0;
            ulong data = 0;
            if (op != EPOLL_CTL_DEL)
            {
                Span<byte> ev = stackalloc byte[16];
                if (!s.Memory.CopyIn(eventVa, ev)) return -Errno.EFAULT;
                events = BinaryPrimitives.ReadUInt32LittleEndian(ev);
                data = BinaryPrimitives.ReadUInt64LittleEndian(ev[8..]);
            }
            epoll.Interests.TryGetValue(fd, out var entry);
            if (entry != null && !ReferenceEquals(entry.File, f)) { epoll.Interests.Remove(fd); entry = null; }
            switch (op)
            {
                case EPOLL_CTL_ADD:
                    if (entry != null) return -Errno.EEXIST;
                    if (f is EpollFile) return -Errno.EINVAL; // nesting epoll instances is not supported
                    epoll.Interests[fd] = new EpollFile.Interest(f, events, data);
                    return 0;
                case EPOLL_CTL_MOD:
                    if (entry == null) return -Errno.ENOENT;
                    if ((events & EpollFile.EPOLLEXCLUSIVE) != 0) return -Errno.EINVAL;
                    entry.Events = events;
                    entry.Data = data;
                    return 0;
                case EPOLL_CTL_DEL:
                    return epoll.Interests.Remove(fd) ? 0 : -Errno.ENOENT;
                default:
                    return -Errno.EINVAL;
            }
        }

        // Linux refuses epoll on files without a poll operation: regular files and directories.
        private static bool Pollable(FileDescription f) =>
            f.Node is not { } node || (node.Type != Sdk.Vfs.FileType.Regular && node.Type != Sdk.Vfs.FileType.Directory);

        // epoll_pwait(epfd, events, maxevents, timeout ms, sigmask, sigsetsize): the ready entries, at most
        // maxevents, in descriptor order; 0 at the timeout; blocks otherwise. A one-shot entry is disarmed
        // once reported.
        private long EpollWait(IUserStrand s, LinuxProcess p, int epfd, ulong eventsVa, int maxEvents, int timeoutMs)
        {
            FileDescription? e = p.Get(epfd);
            if (e == null) return -Errno.EBADF;
            if (e is not EpollFile epoll || maxEvents <= 0 || maxEvents > int.MaxValue / 16) return -Errno.EINVAL;
            Span<byte> events = _scratch.AsSpan(0, 16 * Math.Min(maxEvents, EpollMaxEvents));
            int ready = 0;
            List<int>? gone = null;
            foreach (var (fd, entry) in epoll.Interests)
            {
                if (!ReferenceEquals(p.Get(fd), entry.File)) { (gone ??= []).Add(fd); continue; }
                uint state = EpollFile.Ready(entry);
                if (state == 0 || ready * 16 >= events.Length) continue;
                BinaryPrimitives.WriteUInt32LittleEndian(events[(ready * 16)..], state);
                BinaryPrimitives.WriteUInt32LittleEndian(events[(ready * 16 + 4)..], 0);
                BinaryPrimitives.WriteUInt64LittleEndian(events[(ready * 16 + 8)..], entry.Data);
                if ((entry.Events & EpollFile.EPOLLONESHOT) != 0) entry.Events &= EpollFile.ControlFlags;
                ready++;
            }
            foreach (int fd in gone ?? []) epoll.Interests.Remove(fd);
            if (ready > 0 && !s.Memory.CopyOut(eventsVa, events[..(ready * 16)])) return EndPoll(s, -Errno.EFAULT);
            return WaitForReadiness(s, ready, timeoutMs < 0 ? -1 : timeoutMs * 1_000_000L);
        }
    }
}
