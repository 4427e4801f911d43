using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux.Trace;

/// <summary>
/// Prints each system call strace-style on the console's error stream:
/// <c>openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3</c>, errors as <c>= -1 ENOENT (No such file or directory)</c>.
/// Names and argument shapes come from the system-call table (<see cref="LinuxPersonality.SyscallTable"/>);
/// a number not in it prints with its Linux name (<c>syscall_N</c> if riscv64 Linux has none) and six hex arguments.
/// The slow path: it allocates, and only runs when tracing was asked for.
/// </summary>
internal sealed class SyscallTracer(IConsole console)
{
    // The arguments of the call in progress (a0 is overwritten by the result).
    private readonly ulong[] _args = new ulong[6];

    /// <summary>Before the call: records the arguments; exit never returns, so it is printed now.</summary>
    public void Before(IUserStrand s)
    {
        (_args[0], _args[1], _args[2], _args[3], _args[4], _args[5]) = (s.Arg0, s.Arg1, s.Arg2, s.Arg3, s.Arg4, s.Arg5);
        if (s.Number is Sys.exit or Sys.exit_group) Emit(Format(s, _args, 0) + " = ?\n");
    }

    /// <summary>After the call: the line with its result.</summary>
    public void After(IUserStrand s, long result)
    {
        if (s.Number is Sys.exit or Sys.exit_group) return;
        string line = Format(s, _args, result);
        bool hex = LinuxPersonality.FindSyscall(s.Number) is { HexResult: true };
        Emit(line + " = " + FormatResult(result, hex) + "\n");
    }

    private void Emit(string text)
    {
        console.Write(2, Encoding.UTF8.GetBytes(text));
    }

    private static string Format(IUserStrand s, ulong[] a, long result)
    {
        if (LinuxPersonality.FindSyscall(s.Number) is not { } call)
            return $"{SyscallNames.Of((long)s.Number) ?? $"syscall_{s.Number}"}(0x{a[0]:x}, 0x{a[1]:x}, 0x{a[2]:x}, 0x{a[3]:x}, 0x{a[4]:x}, 0x{a[5]:x})";
        var b = new StringBuilder(call.Name).Append('(');
        string kinds = call.Args;  // letters: see SyscallEntry.Args
        for (int i = 0; i < kinds.Length; i++)
        {
            bool modeUnused = kinds[i] == 'm' && i > 0 && kinds[i - 1] == 'o' && (a[i - 1] & (LinuxAbi.O_CREAT | LinuxAbi.O_TMPFILE)) == 0;
            if (modeUnused) break; // open's mode only matters when it creates
            if (i > 0) b.Append(", ");
            ulong v = a[i];
            switch (kinds[i])
            {
                case 'd': b.Append((int)v); break;
                case 'l': b.Append((long)v); break;
                case 'u': b.Append(v); break;
                case 'x': b.Append(v == 0 ? "NULL" : $"0x{v:x}"); break;
                case 'f': b.Append((int)v); break;
                case 'D': b.Append((int)v == LinuxAbi.AT_FDCWD ? "AT_FDCWD" : ((int)v).ToString()); break;
                case 's': b.Append(UserString(s, v, 4096, out _)); break;
                case 'w': b.Append(UserBuffer(s, v, (long)Math.Min(a[i + 1], 1 << 20))); break;
                case 'r': b.Append(LinuxAbi.IsError(result) ? $"0x{v:x}" : UserBuffer(s, v, result)); break;
                case 'o': b.Append(OpenFlags((int)v)); break;
                case 'm': b.Append("0").Append(Convert.ToString((long)(v & 0xfff), 8)); break;
                case 'p': b.Append(Flags((int)v, ProtNames, "PROT_NONE")); break;
                case 'M': b.Append(Flags((int)v, MapNames, "0")); break;
                case 'a': b.Append(Flags((int)v, AtNames, "0")); break;
                case 'i': b.Append((uint)v == LinuxAbi.TCGETS ? "TCGETS" : (uint)v == LinuxAbi.TIOCGWINSZ ? "TIOCGWINSZ" : $"0x{v:x}"); break;
                case 'c': b.Append((int)v is >= 0 and < 8 ? ClockNames[(int)v] : ((int)v).ToString()); break;
            }
        }
        return b.Append(')').ToString();
    }

    private static string FormatResult(long result, bool hex)
    {
        if (!LinuxAbi.IsError(result)) return hex ? $"0x{result:x}" : result.ToString();
        int e = (int)-result;
        return ErrnoNames.Name(e) is { } name ? $"-1 {name} ({ErrnoNames.Message(e)})" : $"-1 {e} (Unknown error {e})";
    }

    // The user string at va, quoted and escaped; the address if it cannot be read.
    private static string UserString(IUserStrand s, ulong va, int max, out int length)
    {
        var bytes = new byte[max];
        length = s.Memory.ReadCString(va, bytes);
        return length < 0 ? $"0x{va:x}" : Quote(bytes.AsSpan(0, length), truncated: false);
    }

    // The first 32 bytes of a user buffer, quoted, with "..." if there is more.
    private static string UserBuffer(IUserStrand s, ulong va, long length)
    {
        if (length <= 0) return "\"\"";
        var bytes = new byte[Math.Min(length, 32)];
        return s.Memory.CopyIn(va, bytes) ? Quote(bytes, truncated: length > bytes.Length) : $"0x{va:x}";
    }

    private static string Quote(ReadOnlySpan<byte> bytes, bool truncated)
    {
        var b = new StringBuilder("\"");
        foreach (byte c in bytes)
        {
            switch (c)
            {
                case (byte)'\n': b.Append("\\n"); break;
                case (byte)'\t': b.Append("\\t"); break;
                case (byte)'\r': b.Append("\\r"); break;
                case (byte)'"': b.Append("\\\""); break;
                case (byte)'\\': b.Append("\\\\"); break;
                default:
                    if (c >= 32 && c < 127) b.Append((char)c);
                    else b.Append('\\').Append(Convert.ToString(c, 8));
                    break;
            }
        }
        b.Append('"');
        if (truncated) b.Append("...");
        return b.ToString();
    }

    private static readonly (int Bit, string Name)[] OpenNames =
    [
        (LinuxAbi.O_CREAT, "O_CREAT"), (LinuxAbi.O_EXCL, "O_EXCL"), (LinuxAbi.O_NOCTTY, "O_NOCTTY"), (LinuxAbi.O_TRUNC, "O_TRUNC"),
        (LinuxAbi.O_APPEND, "O_APPEND"), (LinuxAbi.O_NONBLOCK, "O_NONBLOCK"), (LinuxAbi.O_SYNC, "O_SYNC"), (LinuxAbi.O_DSYNC, "O_DSYNC"),
        (LinuxAbi.O_ASYNC, "O_ASYNC"), (LinuxAbi.O_DIRECT, "O_DIRECT"), (LinuxAbi.O_LARGEFILE, "O_LARGEFILE"),
        (LinuxAbi.O_DIRECTORY, "O_DIRECTORY"), (LinuxAbi.O_NOFOLLOW, "O_NOFOLLOW"), (LinuxAbi.O_NOATIME, "O_NOATIME"),
        (LinuxAbi.O_CLOEXEC, "O_CLOEXEC"), (LinuxAbi.O_PATH, "O_PATH"), (LinuxAbi.O_TMPFILE, "O_TMPFILE"),
    ];
    private static readonly (int Bit, string Name)[] ProtNames = [(LinuxAbi.PROT_READ, "PROT_READ"), (LinuxAbi.PROT_WRITE, "PROT_WRITE"), (LinuxAbi.PROT_EXEC, "PROT_EXEC")];
    private static readonly (int Bit, string Name)[] MapNames =
    [
        (LinuxAbi.MAP_SHARED_VALIDATE, "MAP_SHARED_VALIDATE"), (LinuxAbi.MAP_SHARED, "MAP_SHARED"), (LinuxAbi.MAP_PRIVATE, "MAP_PRIVATE"),
        (LinuxAbi.MAP_FIXED, "MAP_FIXED"), (LinuxAbi.MAP_ANONYMOUS, "MAP_ANONYMOUS"), (LinuxAbi.MAP_NORESERVE, "MAP_NORESERVE"),
        (LinuxAbi.MAP_POPULATE, "MAP_POPULATE"), (LinuxAbi.MAP_STACK, "MAP_STACK"), (LinuxAbi.MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"),
    ];
    private static readonly (int Bit, string Name)[] AtNames =
        [(LinuxAbi.AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"), (LinuxAbi.AT_REMOVEDIR, "AT_REMOVEDIR"), (LinuxAbi.AT_EMPTY_PATH, "AT_EMPTY_PATH")];
    private static readonly string[] ClockNames =
        ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW",
         "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME"];

    private static string OpenFlags(int v) =>
        ((v & LinuxAbi.O_ACCMODE) switch { 0 => "O_RDONLY", 1 => "O_WRONLY", 2 => "O_RDWR", _ => "O_ACCMODE" })
        + (Flags(v & ~LinuxAbi.O_ACCMODE, OpenNames, "") is { Length: > 0 } rest ? "|" + rest : "");

    // Names the bits of v (a name may cover several bits); leftovers in hex; empty as given.
    private static string Flags(int v, (int Bit, string Name)[] names, string none)
    {
        var parts = new List<string>();
        foreach (var (bit, name) in names)
            if ((v & bit) == bit) { parts.Add(name); v &= ~bit; }
        if (v != 0) parts.Add($"0x{v:x}");
        return parts.Count == 0 ? none : string.Join("|", parts);
    }
}
