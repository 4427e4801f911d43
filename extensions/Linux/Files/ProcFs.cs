using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.PhysAddr;
using Spindle.Sdk.Time;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files
{

    /// <summary>Which object of /proc a node is: the root, its system files, a process directory and its entries.</summary>
    internal enum ProcKind
    {
        Root, Self,
        Meminfo, Cpuinfo, Uptime, Loadavg, SystemStat, Version, Filesystems, Mounts,
        Process, Fds, Fd, Exe, Cwd, Stat, Statm, Status, Cmdline, Environ,
    }

    /// <summary>
    /// What /proc is made from, read when a file is opened: the personality's process table, the process a
    /// system call is made by ("self"), the clock and the monotonic time of boot, the machine's frames (null:
    /// not granted, memory figures 0), the mounted file systems and each process's working directory.
    /// </summary>
    internal sealed class ProcSources(ProcessTable processes, Func<LinuxProcess?> caller, IClock clock, long bootNanoseconds,
        IPhysAddrService? memory, Func<IEnumerable<(byte[] Path, IFileSystem FileSystem)>> mounts, Func<LinuxProcess, byte[]> cwd)
    {
        public ProcessTable Processes => processes;
        public LinuxProcess? Caller => caller();
        public IClock Clock => clock;

        /// <summary>Nanoseconds since boot (the personality's start).</summary>
        public long Uptime => clock.MonotonicNanoseconds - bootNanoseconds;

        /// <summary>Nanoseconds since boot at monotonic time <paramref name="monotonic"/>.</summary>
        public long SinceBoot(long monotonic) => monotonic - bootNanoseconds;
        public IPhysAddrService? Memory => memory;
        public IEnumerable<(byte[] Path, IFileSystem FileSystem)> Mounts => mounts();
        public byte[] WorkingDirectory(LinuxProcess p) => cwd(p);

        /// <summary>The load averages, sampled when /proc/loadavg or sysinfo is read.</summary>
        public LoadAverage Load { get; } = new();
    }

    /// <summary>/proc as an Sdk <see cref="IFileSystem"/> over the personality's processes and the machine.</summary>
    internal sealed class ProcFs : IFileSystem
    {
        /// <summary>The /proc file system over <paramref name="sources"/>.</summary>
        public ProcFs(ProcSources sources)
        {
            Sources = sources;
            Root = new ProcNode(this, ProcKind.Root, 0, 0);
        }

        public ProcSources Sources { get; }
        public Vnode Root { get; }
        public ulong Device => ProcNode.ProcDevice;

        public int GetStatistics(out FileSystemStatistics statistics)
        {
            statistics = new FileSystemStatistics { Type = ProcText.ProcMagic, BlockSize = 4096, NameMax = FileAbi.NameMax };
            return 0;
        }

        public int Sync() => 0;
    }

    /// <summary>
    /// /proc, read-only and generated: the system files (meminfo, cpuinfo, uptime, loadavg, stat, version,
    /// filesystems, mounts), "self" (a link to the calling process's directory), and a directory per process
    /// in the table (live or zombie) with stat, statm, status, cmdline, environ, the links exe and cwd, and fd/
    /// (a link per open descriptor). A file's text is made when it is opened. A node whose process has been
    /// reaped answers -ENOENT (open, stat) and reads as empty once open.
    /// </summary>
    internal sealed class ProcNode : Vnode
    {
        /// <summary>The device number of /proc (Linux's procfs is an anonymous device too).</summary>
        public const ulong ProcDevice = 0x16;

        private static readonly (byte[] Name, ProcKind Kind)[] SystemEntries =
        [
            ("cpuinfo"u8.ToArray(), ProcKind.Cpuinfo), ("filesystems"u8.ToArray(), ProcKind.Filesystems),
            ("loadavg"u8.ToArray(), ProcKind.Loadavg), ("meminfo"u8.ToArray(), ProcKind.Meminfo),
            ("mounts"u8.ToArray(), ProcKind.Mounts), ("stat"u8.ToArray(), ProcKind.SystemStat),
            ("uptime"u8.ToArray(), ProcKind.Uptime), ("version"u8.ToArray(), ProcKind.Version),
        ];

        private static readonly (byte[] Name, ProcKind Kind)[] ProcessEntries =
        [
            ("cmdline"u8.ToArray(), ProcKind.Cmdline), ("cwd"u8.ToArray(), ProcKind.Cwd), ("environ"u8.ToArray(), ProcKind.Environ),
            ("exe"u8.ToArray(), ProcKind.Exe), ("fd"u8.ToArray(), ProcKind.Fds), ("stat"u8.ToArray(), ProcKind.Stat),
            ("statm"u8.ToArray(), ProcKind.Statm), ("status"u8.ToArray(), ProcKind.Status),
        ];

        private readonly ProcFs _fs;
        private readonly ProcKind _kind;
        private readonly int _pid, _fd;

        /// <param name="fs">The /proc this node belongs to.</param>
        /// <param name="kind">What the node is.</param>
        /// <param name="pid">The process of a process node (positive; 0 for the root and the system files).</param>
        /// <param name="fd">The descriptor of an fd/N link (0 otherwise).</param>
        public ProcNode(ProcFs fs, ProcKind kind, int pid, int fd)
        {
            _fs = fs;
            _kind = kind;
            _pid = pid;
            _fd = fd;
        }

        private ProcSources Sources => _fs.Sources;
        private bool IsProcessNode => _kind >= ProcKind.Process;

        // Inodes: 1 the root, 2 self, 16 + kind the system files; a process's nodes (pid << 16) + (kind << 10) + fd.
        public override IFileSystem FileSystem => _fs;
        public override ulong Inode => _kind switch
        {
            ProcKind.Root => 1,
            ProcKind.Self => 2,
            _ when !IsProcessNode => 16 + (ulong)_kind,
            _ => ((ulong)_pid << 16) + ((ulong)_kind << 10) + (ulong)_fd,
        };

        public override uint Type => _kind switch
        {
            ProcKind.Root or ProcKind.Process or ProcKind.Fds => FileType.Directory,
            ProcKind.Self or ProcKind.Exe or ProcKind.Cwd or ProcKind.Fd => FileType.Symlink,
            _ => FileType.Regular,
        };

        // The process this node describes; null for the root and the system files, or once the process is reaped.
        private LinuxProcess? Owner => IsProcessNode ? Sources.Processes.Find(_pid) : null;

        // A process node whose process (or, for fd/N, whose descriptor) is gone.
        private bool Gone => IsProcessNode && (Owner is not { } p || (_kind == ProcKind.Fd && p.Get(_fd) == null));

        public override int GetAttributes(out FileStatus status)
        {
            status = default;
            if (Gone) return -Errno.ENOENT;
            LinuxProcess? p = Owner;
            uint permissions = _kind switch
            {
                ProcKind.Self or ProcKind.Exe or ProcKind.Cwd => 0x1ff,
                ProcKind.Fd => 0x1c0,
                ProcKind.Fds => 0x140,
                ProcKind.Root or ProcKind.Process => 0x16d,
                ProcKind.Environ => 0x100,
                _ => 0x124,
            };
            status = new FileStatus
            {
                Device = ProcDevice, Inode = Inode, Mode = Type | permissions, BlockSize = 4096,
                LinkCount = IsDirectory ? 2UL : 1UL, Uid = p?.Identity.Uid ?? 0, Gid = p?.Identity.Gid ?? 0,
            };
            return 0;
        }

        // Read-only: write access is -EACCES (-EISDIR on a directory), as Linux answers for 0444 and 0555 entries.
        public override int Open(OpenFlags flags, out OpenFile? file)
        {
            file = null;
            if (IsSymlink) return -Errno.ELOOP;
            if (Gone) return -Errno.ENOENT;
            bool writing = (flags & OpenFlags.AccessMask) != 0 || (flags & OpenFlags.Truncate) != 0;
            if (writing) return IsDirectory ? -Errno.EISDIR : -Errno.EACCES;
            file = IsDirectory ? new OpenFile(this) : new ProcOpenFile(this, Text());
            return 0;
        }

        public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
        {
            child = null;
            switch (_kind)
            {
                case ProcKind.Root:
                    if (name.SequenceEqual("self"u8)) child = new ProcNode(_fs, ProcKind.Self, 0, 0);
                    else if (Find(SystemEntries, name) is ProcKind kind) child = new ProcNode(_fs, kind, 0, 0);
                    else if (ParseNumber(name) is int pid && Sources.Processes.Find(pid) != null) child = new ProcNode(_fs, ProcKind.Process, pid, 0);
                    break;
                case ProcKind.Process:
                    if (Owner is not { } p) return -Errno.ENOENT;
                    if (Find(ProcessEntries, name) is ProcKind entry && (!p.Zombie || entry is not (ProcKind.Exe or ProcKind.Cwd or ProcKind.Fds)))
                        child = new ProcNode(_fs, entry, _pid, 0);
                    break;
                case ProcKind.Fds:
                    if (Owner is not { } q) return -Errno.ENOENT;
                    if (ParseNumber(name, allowZero: true) is int fd && q.Get(fd) != null) child = new ProcNode(_fs, ProcKind.Fd, _pid, fd);
                    break;
                default:
                    return -Errno.ENOTDIR;
            }
            return child == null ? -Errno.ENOENT : 0;
        }

        private static ProcKind? Find((byte[] Name, ProcKind Kind)[] entries, ReadOnlySpan<byte> name)
        {
            foreach (var e in entries)
                if (name.SequenceEqual(e.Name)) return e.Kind;
            return null;
        }

        /// <summary>
        /// self: the caller's pid (relative, so it resolves inside /proc); -ENOENT outside a system call.
        /// exe: the program's path; cwd: the working directory; fd/N: the descriptor's file (its path, or
        /// Linux's "pipe:[inode]" / "anon_inode:[...]" names, which do not resolve).
        /// </summary>
        public override int ReadLink(Span<byte> target)
        {
            byte[] text;
            if (_kind == ProcKind.Self)
            {
                if (Sources.Caller is not LinuxProcess caller) return -Errno.ENOENT;
                text = Encoding.ASCII.GetBytes(caller.Pid.ToString());
            }
            else if (!IsSymlink) return -Errno.EINVAL;
            else if (Owner is not { Zombie: false } owner) return -Errno.ENOENT;
            else if (_kind == ProcKind.Exe) text = owner.Executable;
            else if (_kind == ProcKind.Cwd) text = Sources.WorkingDirectory(owner);
            else if (owner.Get(_fd) is { } file) text = file.LinkText();
            else return -Errno.ENOENT;
            text.AsSpan(0, Math.Min(text.Length, target.Length)).CopyTo(target);
            return text.Length;
        }

        public override int Access(int mode) => (mode & 2) != 0 ? -Errno.EACCES : GetAttributes(out _);

        // A decimal number without sign or leading zeros (a lone "0" if allowZero); null otherwise.
        private static int? ParseNumber(ReadOnlySpan<byte> name, bool allowZero = false)
        {
            if (name.IsEmpty || name.Length > 9 || (name[0] == (byte)'0' && !(allowZero && name.Length == 1))) return null;
            int n = 0;
            foreach (byte c in name)
            {
                if (c < '0' || c > '9') return null;
                n = n * 10 + (c - '0');
            }
            return n;
        }

        /// <summary>
        /// Cookies are positions: in the root 0 is "self", 1..8 the system files, and pid p is p + 9; in a
        /// process directory the index of the entry; in fd/ the descriptor + 1. A listing resumed from a
        /// cookie skips processes reaped and descriptors closed meanwhile.
        /// </summary>
        public override int ReadDirectory(long cookie, IDirectorySink sink)
        {
            if (cookie < 0) return -Errno.EINVAL;
            switch (_kind)
            {
                case ProcKind.Root:
                    return ListRoot(cookie, sink);
                case ProcKind.Process:
                    for (long i = cookie; i < ProcessEntries.Length; i++)
                    {
                        if (Lookup(ProcessEntries[i].Name, out Vnode? f) < 0) continue;
                        if (!sink.Add(ProcessEntries[i].Name, f!.Inode, f.Type, i + 1)) break;
                    }
                    return 0;
                case ProcKind.Fds:
                    if (Owner is not { } p) return 0;
                    for (long fd = cookie; fd < p.Files.Length; fd++)
                    {
                        if (p.Get(fd) == null) continue;
                        ulong inode = ((ulong)_pid << 16) + ((ulong)ProcKind.Fd << 10) + (ulong)fd;
                        if (!sink.Add(Encoding.ASCII.GetBytes(fd.ToString()), inode, FileType.Symlink, fd + 1)) break;
                    }
                    return 0;
                default:
                    return -Errno.ENOTDIR;
            }
        }

        private int ListRoot(long cookie, IDirectorySink sink)
        {
            if (cookie == 0 && !sink.Add("self"u8, 2, FileType.Symlink, 1)) return 0;
            for (long i = Math.Max(cookie, 1); i <= SystemEntries.Length; i++)
                if (!sink.Add(SystemEntries[i - 1].Name, 16 + (ulong)SystemEntries[i - 1].Kind, FileType.Regular, i + 1)) return 0;
            long first = SystemEntries.Length + 1;
            var pids = new List<int>();
            foreach (var p in Sources.Processes.All) if (p.Pid + first >= cookie) pids.Add(p.Pid);
            pids.Sort();
            foreach (int pid in pids)
                if (!sink.Add(Encoding.ASCII.GetBytes(pid.ToString()), ((ulong)pid << 16) + ((ulong)ProcKind.Process << 10), FileType.Directory, pid + first + 1)) break;
            return 0;
        }

        // The text of a file node (a process node's process exists: Open checked Gone).
        private byte[] Text() => _kind switch
        {
            ProcKind.Meminfo => ProcSystemText.Meminfo(Sources),
            ProcKind.Cpuinfo => ProcSystemText.Cpuinfo(),
            ProcKind.Uptime => ProcSystemText.Uptime(Sources),
            ProcKind.Loadavg => ProcSystemText.Loadavg(Sources),
            ProcKind.SystemStat => ProcSystemText.Stat(Sources),
            ProcKind.Version => ProcSystemText.Version(),
            ProcKind.Filesystems => ProcSystemText.Filesystems(),
            ProcKind.Mounts => ProcSystemText.Mounts(Sources),
            ProcKind.Stat => Encoding.UTF8.GetBytes(ProcText.Stat(Owner!, Sources)),
            ProcKind.Statm => Encoding.UTF8.GetBytes(ProcText.Statm(Owner!)),
            ProcKind.Status => Encoding.UTF8.GetBytes(ProcText.Status(Owner!)),
            ProcKind.Environ => ProcText.Environ(Owner!),
            _ => ProcText.Cmdline(Owner!),
        };
    }

    /// <summary>One open of a /proc file: the text made at open, read from an offset.</summary>
    internal sealed class ProcOpenFile(ProcNode node, byte[] text) : OpenFile(node)
    {
        public override long Read(Span<byte> buffer, long offset)
        {
            if (offset >= text.Length) return 0;
            int n = (int)Math.Min(buffer.Length, text.Length - offset);
            text.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        }

        public override long Write(ReadOnlySpan<byte> buffer, long offset) => -Errno.EBADF;
        public override bool Mappable => false;
    }
}

namespace Spindle.Extensions.Linux
{
    // The personality's side of /proc (a partial of LinuxPersonality kept in Files/).
    public sealed partial class LinuxPersonality
    {
        // The thread whose system call is being handled (set by Dispatch): the process /proc/self names.
        private LinuxThread? _caller;

        private Files.ProcSources? _procSources;

        // What /proc and sysinfo read: this personality's processes, mounts and clock, and the machine's frames.
        private Files.ProcSources ProcSources => _procSources ??=
            new(_processes, () => _caller?.Process, _clock, _bootNanoseconds, _memory, () => Vfs.MountedFileSystems(), CwdPath);

        // A /proc directory over this personality.
        private Files.ProcFs ProcFileSystem() => new(ProcSources);
    }
}
