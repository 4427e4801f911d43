using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files
{

    /// <summary>Which object of /proc a node is.</summary>
    internal enum ProcKind { Root, Self, Process, Stat, Status, Cmdline, Exe }

    /// <summary>/proc as an Sdk <see cref="IFileSystem"/> over the personality's process table.</summary>
    internal sealed class ProcFs : IFileSystem
    {
        /// <summary>The /proc file system over <paramref name="processes"/>; <paramref name="caller"/> names the process "self" is.</summary>
        public ProcFs(ProcessTable processes, Func<LinuxProcess?> caller) => Root = new ProcNode(this, processes, caller);

        public Vnode Root { get; }
        public ulong Device => ProcNode.ProcDevice;

        public int GetStatistics(out FileSystemStatistics statistics)
        {
            statistics = new FileSystemStatistics { Type = 0x9fa0, BlockSize = 4096, NameMax = FileAbi.NameMax };
            return 0;
        }

        public int Sync() => 0;
    }

    /// <summary>
    /// /proc, read-only and generated from the personality's process table: a directory per process in the
    /// table (live or zombie), "self" (a symbolic link to the calling process's directory), and in each
    /// process directory stat, status and cmdline, whose text is made when the file is opened. A node whose
    /// process has been reaped answers -ENOENT (open, stat) and reads as empty once open.
    /// </summary>
    internal sealed class ProcNode : Vnode
    {
        /// <summary>The device number of /proc (Linux's procfs is an anonymous device too).</summary>
        public const ulong ProcDevice = 0x16;
        private static readonly byte[][] ProcessFiles = ["cmdline"u8.ToArray(), "exe"u8.ToArray(), "stat"u8.ToArray(), "status"u8.ToArray()];

        private readonly ProcFs _fs;
        private readonly ProcessTable _processes;
        private readonly Func<LinuxProcess?> _caller;
        private readonly ProcKind _kind;
        private readonly int _pid;

        /// <summary>The /proc directory over <paramref name="processes"/>; <paramref name="caller"/> names the process "self" is.</summary>
        public ProcNode(ProcFs fs, ProcessTable processes, Func<LinuxProcess?> caller) : this(fs, processes, caller, ProcKind.Root, 0) { }

        private ProcNode(ProcFs fs, ProcessTable processes, Func<LinuxProcess?> caller, ProcKind kind, int pid)
        {
            _fs = fs;
            _processes = processes;
            _caller = caller;
            _kind = kind;
            _pid = pid;
        }

        // Inodes: 1 the root, 2 self, then per pid a block of 8 (the directory and its files).
        public override IFileSystem FileSystem => _fs;
        public override ulong Inode => _kind switch { ProcKind.Root => 1, ProcKind.Self => 2, _ => ((ulong)_pid << 3) + (ulong)_kind };
        public override uint Type => _kind switch
        {
            ProcKind.Root or ProcKind.Process => FileType.Directory,
            ProcKind.Self or ProcKind.Exe => FileType.Symlink,
            _ => FileType.Regular,
        };

        // The process this node describes; null for the root and self, or once the process is reaped.
        private LinuxProcess? Owner => _kind is ProcKind.Root or ProcKind.Self ? null : _processes.Find(_pid);

        public override int GetAttributes(out FileStatus status)
        {
            status = default;
            LinuxProcess? p = Owner;
            if (p == null && _kind is not (ProcKind.Root or ProcKind.Self)) return -Errno.ENOENT;
            uint permissions = _kind switch { ProcKind.Self or ProcKind.Exe => 0x1ff, ProcKind.Root or ProcKind.Process => 0x16d, _ => 0x124 };
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
            if (Owner == null && _kind != ProcKind.Root) return -Errno.ENOENT;
            bool writing = (flags & OpenFlags.AccessMask) != 0 || (flags & OpenFlags.Truncate) != 0;
            if (writing) return IsDirectory ? -Errno.EISDIR : -Errno.EACCES;
            file = IsDirectory ? new OpenFile(this) : new ProcOpenFile(this, Encoding.UTF8.GetBytes(Text(Owner!)));
            return 0;
        }

        public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
        {
            child = null;
            if (_kind == ProcKind.Root)
            {
                if (name.SequenceEqual("self"u8)) child = new ProcNode(_fs, _processes, _caller, ProcKind.Self, 0);
                else if (ParsePid(name) is int pid && _processes.Find(pid) != null) child = new ProcNode(_fs, _processes, _caller, ProcKind.Process, pid);
            }
            else if (_kind == ProcKind.Process)
            {
                if (Owner == null) return -Errno.ENOENT;
                if (name.SequenceEqual("stat"u8)) child = new ProcNode(_fs, _processes, _caller, ProcKind.Stat, _pid);
                else if (name.SequenceEqual("status"u8)) child = new ProcNode(_fs, _processes, _caller, ProcKind.Status, _pid);
                else if (name.SequenceEqual("cmdline"u8)) child = new ProcNode(_fs, _processes, _caller, ProcKind.Cmdline, _pid);
                else if (name.SequenceEqual("exe"u8) && Owner is { Zombie: false }) child = new ProcNode(_fs, _processes, _caller, ProcKind.Exe, _pid);
            }
            else return -Errno.ENOTDIR;
            return child == null ? -Errno.ENOENT : 0;
        }

        // self: the caller's pid (relative, so it resolves inside /proc); -ENOENT outside a system call.
        // exe: the path of the program the process runs (a plain link: it resolves while that path does).
        public override int ReadLink(Span<byte> target)
        {
            if (_kind == ProcKind.Exe)
            {
                if (Owner is not { Zombie: false } owner) return -Errno.ENOENT;
                owner.Executable.AsSpan(0, Math.Min(owner.Executable.Length, target.Length)).CopyTo(target);
                return owner.Executable.Length;
            }
            if (_kind != ProcKind.Self) return -Errno.EINVAL;
            if (_caller() is not LinuxProcess p) return -Errno.ENOENT;
            byte[] text = Encoding.ASCII.GetBytes(p.Pid.ToString());
            text.AsSpan(0, Math.Min(text.Length, target.Length)).CopyTo(target);
            return text.Length;
        }

        public override int Access(int mode) => (mode & 2) != 0 ? -Errno.EACCES : GetAttributes(out _);

        // A decimal pid without sign or leading zeros; null otherwise.
        private static int? ParsePid(ReadOnlySpan<byte> name)
        {
            if (name.IsEmpty || name.Length > 9 || name[0] == (byte)'0') return null;
            int pid = 0;
            foreach (byte c in name)
            {
                if (c < '0' || c > '9') return null;
                pid = pid * 10 + (c - '0');
            }
            return pid;
        }

        // Cookies are positions: in the root 0 is "self" and pid p is p + 1, in a process directory the
        // index of the file; a listing resumed from one skips processes reaped meanwhile.
        public override int ReadDirectory(long cookie, IDirectorySink sink)
        {
            if (cookie < 0) return -Errno.EINVAL;
            if (_kind == ProcKind.Process)
            {
                for (long i = cookie; i < ProcessFiles.Length; i++)
                {
                    if (Lookup(ProcessFiles[i], out Vnode? f) < 0) return 0;
                    if (!sink.Add(ProcessFiles[i], f!.Inode, f.Type, i + 1)) break;
                }
                return 0;
            }
            if (_kind != ProcKind.Root) return -Errno.ENOTDIR;
            if (cookie == 0 && !sink.Add("self"u8, 2, FileType.Symlink, 1)) return 0;
            var pids = new List<int>();
            foreach (var p in _processes.All) if (p.Pid + 1L >= cookie) pids.Add(p.Pid);
            pids.Sort();
            foreach (int pid in pids)
                if (!sink.Add(Encoding.ASCII.GetBytes(pid.ToString()), (ulong)pid << 3, FileType.Directory, pid + 2L)) break;
            return 0;
        }

        // The text of a file node for process p.
        private string Text(LinuxProcess p) => _kind switch
        {
            ProcKind.Stat => ProcText.Stat(p),
            ProcKind.Status => ProcText.Status(p),
            _ => ProcText.Cmdline(p),
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

    /// <summary>The Linux text formats of /proc/PID/stat, status and cmdline.</summary>
    internal static class ProcText
    {
        private const long NanosecondsPerTick = 10_000_000; // USER_HZ = 100

        /// <summary>comm: the first thread's name (PR_SET_NAME), else the executable's base name, at most 15 bytes.</summary>
        public static string Command(LinuxProcess p) =>
            Encoding.UTF8.GetString(p.Threads.Count > 0 ? LinuxPersonality.ThreadName(p.Threads[0]) : p.ExecutableName);

        /// <summary>The one-letter state: Z a zombie, S when every thread waits in a blocking call, else R.</summary>
        public static char State(LinuxProcess p)
        {
            if (p.Zombie) return 'Z';
            foreach (LinuxThread t in p.Threads)
                if (!t.Strand.HasExited && !t.Strand.RestartingSyscall && !t.Strand.Suspended) return 'R';
            return p.Threads.Count == 0 ? 'Z' : 'S';
        }

        private static string StateName(char state) => state switch { 'R' => "R (running)", 'S' => "S (sleeping)", _ => "Z (zombie)" };

        /// <summary>
        /// /proc/PID/stat: the 52 fields of Linux's do_task_stat. Known here: pid, comm, state, ppid, pgrp,
        /// session, num_threads, starttime (ticks), signal masks, start_brk, exit_signal, exit_code; the rest 0
        /// (times, faults, memory sizes the personality does not count) or Linux's constant (priority 20, rsslim).
        /// </summary>
        public static string Stat(LinuxProcess p)
        {
            ulong caught = 0, ignored = 0;
            for (int sig = 1; sig <= LinuxAbi.NSIG; sig++)
            {
                ulong h = p.SignalActions[sig].Handler, bit = 1UL << (sig - 1);
                if (h == LinuxAbi.SIG_IGN) ignored |= bit;
                else if (h != 0) caught |= bit;
            }
            ulong blocked = p.Threads.Count > 0 ? p.Threads[0].Blocked : 0;
            long start = p.StartNanoseconds / NanosecondsPerTick;
            int exitCode = p.Zombie ? p.WaitStatus : 0;
            return $"{p.Pid} ({Command(p)}) {State(p)} {p.ParentPid} {p.Pgid} {p.Sid} 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 " +
                   $"{Math.Max(1, p.Threads.Count)} 0 {start} 0 0 18446744073709551615 0 0 0 0 0 {p.Pending} {blocked} {ignored} {caught} " +
                   $"0 0 0 {p.ExitSignal} 0 0 0 0 0 0 0 0 {p.BrkStart} 0 0 0 0 {exitCode}\n";
        }

        /// <summary>/proc/PID/status: Name, State, Tgid, Pid, PPid, Uid, Gid and Threads lines in Linux's layout.</summary>
        public static string Status(LinuxProcess p)
        {
            uint uid = p.Identity.Uid, gid = p.Identity.Gid;
            return $"Name:\t{Command(p)}\nState:\t{StateName(State(p))}\nTgid:\t{p.Pid}\nPid:\t{p.Pid}\nPPid:\t{p.ParentPid}\n" +
                   $"Uid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t{gid}\t{gid}\t{gid}\t{gid}\nThreads:\t{Math.Max(1, p.Threads.Count)}\n";
        }

        /// <summary>/proc/PID/cmdline: NUL-terminated arguments; empty for a zombie, as on Linux. The personality
        /// does not keep argv, so a live process shows its executable's path as its only argument.</summary>
        public static string Cmdline(LinuxProcess p) => p.Zombie ? "" : Encoding.UTF8.GetString(p.Executable) + "\0";
    }
}

namespace Spindle.Extensions.Linux
{
    // The personality's side of /proc (a partial of LinuxPersonality kept in Files/).
    public sealed partial class LinuxPersonality
    {
        // The thread whose system call is being handled (set by Dispatch): the process /proc/self names.
        private LinuxThread? _caller;

        // A /proc directory over this personality's process table.
        private Files.ProcFs ProcFileSystem() => new(_processes, () => _caller?.Process);
    }
}
