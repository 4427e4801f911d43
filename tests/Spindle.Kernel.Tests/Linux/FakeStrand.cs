using System.Text;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Time;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>A user strand with a page-granular fake address space, for driving the personality directly.</summary>
internal sealed class FakeStrand : IUserStrand, IUserMemory
{
    private const int Page = IUserMemory.PageSize;
    public readonly Dictionary<ulong, (byte[] Bytes, Protection Rights)> Pages = new();
    public readonly ulong[] Args = new ulong[6];
    /// <summary>Pages written by CopyOut since they were mapped or discarded (the kernel's pages not known to be zero).</summary>
    public readonly HashSet<ulong> Written = new();

    public ulong Number { get; set; }
    public ulong Arg0 => Args[0];
    public ulong Arg1 => Args[1];
    public ulong Arg2 => Args[2];
    public ulong Arg3 => Args[3];
    public ulong Arg4 => Args[4];
    public ulong Arg5 => Args[5];
    public long Result { get; set; }
    public ulong Pc { get; set; }
    public int Id => 42;
    public IUserMemory Memory => this;
    private readonly Dictionary<object, object?> _slots = new(ReferenceEqualityComparer.Instance);
    public object? GetSlot(Spindle.Sdk.Strand.StrandSlot slot) => _slots.GetValueOrDefault(slot);
    public void SetSlot(Spindle.Sdk.Strand.StrandSlot slot, object? value) => _slots[slot] = value;
    /// <summary>Forgets every slot value: the strand belongs to no personality.</summary>
    public void ClearSlots() => _slots.Clear();

    /// <summary>A personality not attached to a kernel gets its thread slot here (what Attach takes from the strand service).</summary>
    public static LinuxPersonality WithSlot(LinuxPersonality personality)
    {
        personality.UseThreadSlot(new Spindle.Sdk.Strand.StrandSlot<Spindle.Extensions.Linux.Process.LinuxThread>(0, "test"));
        return personality;
    }
    public int? ExitStatus { get; private set; }
    public int? KilledBy { get; private set; }
    public int IcacheFlushes { get; private set; }
    public void Exit(int status) => ExitStatus = status;
    public void Kill(int signal) => KilledBy = signal;
    public void FlushInstructionCache() => IcacheFlushes++;

    // The rest of IUserStrand: a register file, and blocking, cloning and exec recorded or refused.
    public readonly ulong[] Registers = new ulong[32], FloatRegisters = new ulong[32];
    public bool HasExited => ExitStatus != null || KilledBy != null || _end != null;
    public StrandEnd End => _end ?? (KilledBy is { } code ? new(StrandEndKind.Killed, code)
        : ExitStatus is { } status ? new(StrandEndKind.Exited, status) : default);

    private StrandEnd? _end;

    /// <summary>Ends the strand as the kernel would have (a fault nobody handled, an abort).</summary>
    public void EndAs(StrandEnd end) => _end = end;
    public (Spindle.Sdk.Strand.IWaitQueue? Queue, long Deadline)? BlockedOn { get; set; }
    public void Block(Spindle.Sdk.Strand.IWaitQueue? queue, long deadlineNs = -1) => BlockedOn = (queue, deadlineNs);
    /// <summary>The continuation of the call this strand was suspended in, until <see cref="Resume"/> runs it.</summary>
    public SyscallContinuation? SuspendedIn { get; set; }
    public void Suspend(Spindle.Sdk.Strand.IWaitQueue? queue, long deadlineNs, SyscallContinuation continuation)
    {
        BlockedOn = (queue, deadlineNs);
        SuspendedIn = continuation;
    }
    public bool Suspended => SuspendedIn != null;

    /// <summary>The queue the last Stop (job control) asked to wait on.</summary>
    public Spindle.Sdk.Strand.IWaitQueue? StoppedOn;
    public void Stop(Spindle.Sdk.Strand.IWaitQueue queue) => StoppedOn = queue;
    /// <summary>Runs the suspended call's continuation as the kernel would when woken for <paramref name="reason"/>; returns its result.</summary>
    public long Resume(WakeReason reason)
    {
        var k = SuspendedIn!;
        SuspendedIn = null;
        BlockedOn = null;
        return k.Resume(this, reason);
    }
    public long Now { get; set; }
    public bool SignalPending { get; set; }
    public bool RestartingSyscall { get; set; }
    public void CompleteRestart(long result) { }
    public int Yields { get; private set; }
    public void Yield() => Yields++;
    public ulong GetRegister(int index) => index is > 0 and < 32 ? Registers[index] : 0;
    public void SetRegister(int index, ulong value) { if (index is > 0 and < 32) Registers[index] = value; }
    public ulong GetFloatRegister(int index) => FloatRegisters[index];
    public void SetFloatRegister(int index, ulong value) => FloatRegisters[index] = value;
    public uint Fcsr { get; set; }
    public IUserStrand? Clone(bool shareMemory) => null;
    public int Exec(ReadOnlySpan<byte> elf, string path, string[] argv, string[] envp, out ExecImage image) =>
        Exec(elf, null, path, argv, envp, out image);
    public int InterpreterOf(ReadOnlySpan<byte> elf, out string? path)
    {
        path = null;
        return -Errno.ENOEXEC;
    }
    public int Exec(ReadOnlySpan<byte> elf, byte[]? interpreter, string path, string[] argv, string[] envp, out ExecImage image)
    {
        image = default;
        return -Errno.ENOEXEC;
    }

    public ulong UserLimit => 1UL << 47;

    public bool CopyIn(ulong va, Span<byte> dest)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            if (!Pages.TryGetValue((va + (ulong)i) & ~(ulong)(Page - 1), out var p) || (p.Rights & Protection.Read) == 0) return false;
            dest[i] = p.Bytes[(va + (ulong)i) % Page];
        }
        return true;
    }

    public bool CopyOut(ulong va, ReadOnlySpan<byte> src)
    {
        for (int i = 0; i < src.Length; i++)
        {
            if (!Pages.TryGetValue((va + (ulong)i) & ~(ulong)(Page - 1), out var p) || (p.Rights & Protection.Write) == 0) return false;
            p.Bytes[(va + (ulong)i) % Page] = src[i];
            Written.Add((va + (ulong)i) & ~(ulong)(Page - 1));
        }
        return true;
    }

    public int ReadCString(ulong va, Span<byte> dest)
    {
        Span<byte> one = stackalloc byte[1];
        for (int i = 0; ; i++)
        {
            if (!CopyIn(va + (ulong)i, one)) return -1;
            if (one[0] == 0) return i;
            if (i == dest.Length) return -2;
            dest[i] = one[0];
        }
    }

    public bool Map(ulong va, ulong length, Protection protection)
    {
        if (va % Page != 0 || length % Page != 0 || va + length > UserLimit) return false;
        for (ulong a = va; a < va + length; a += Page) { Pages[a] = (new byte[Page], protection); Written.Remove(a); }
        return true;
    }

    // As the kernel's: written pages get a fresh zeroed page (a new array), never-written ones are kept.
    public long Discard(ulong va, ulong length)
    {
        if (va % Page != 0 || length > UserLimit - va) return -1;
        var mapped = Pages.Keys.Where(a => a >= va && a - va < length).ToList();   // cost: the mapped pages, not the range
        foreach (ulong a in mapped)
            if (Written.Remove(a)) Pages[a] = (new byte[Page], Pages[a].Rights);
        return mapped.Count;
    }

    public void Unmap(ulong va, ulong length)
    {
        for (ulong a = va; a < va + length; a += Page) { Pages.Remove(a); Written.Remove(a); }
    }

    public bool Protect(ulong va, ulong length, Protection protection)
    {
        for (ulong a = va; a < va + length; a += Page) if (!Pages.ContainsKey(a)) return false;
        for (ulong a = va; a < va + length; a += Page) Pages[a] = (Pages[a].Bytes, protection);
        return true;
    }

    public bool TryGetProtection(ulong va, out Protection protection)
    {
        bool mapped = Pages.TryGetValue(va & ~(ulong)(Page - 1), out var p);
        protection = mapped ? p.Rights : Protection.None;
        return mapped;
    }

    public ulong FindFree(ulong length, ulong hint, ulong limit)
    {
        for (ulong start = Math.Max(hint, Page); start + length <= limit; start += Page)
        {
            bool free = true;
            for (ulong a = start; a < start + length && free; a += Page) free = !Pages.ContainsKey(a);
            if (free) return start;
        }
        return 0;
    }

    /// <summary>Calls number with args through the personality; returns the result register.</summary>
    public long Call(LinuxPersonality personality, int number, params ulong[] args)
    {
        Number = (ulong)number;
        Array.Clear(Args);
        args.CopyTo(Args, 0);
        personality.Syscall(this);
        return Result;
    }

    /// <summary>Maps a scratch read-write page at va and returns va.</summary>
    public ulong Scratch(ulong va = 0x10_0000, int pages = 1) { Map(va, (ulong)(pages * Page), Protection.Read | Protection.Write); return va; }

    /// <summary>Writes a NUL-terminated string at va (which must be mapped writable).</summary>
    public ulong PutString(ulong va, string s) { CopyOut(va, Encoding.UTF8.GetBytes(s + "\0")); return va; }

    public byte[] Get(ulong va, int n) { var b = new byte[n]; Assert.True(CopyIn(va, b)); return b; }
}

/// <summary>A console that records what was written to streams 1 and 2 and serves fixed input.</summary>
internal sealed class FakeConsole : IConsole
{
    public readonly MemoryStream Out = new(), Err = new();
    public byte[] Input = [];
    private int _read;
    public long Read(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, Input.Length - _read);
        Input.AsSpan(_read, n).CopyTo(buffer);
        _read += n;
        return n;
    }
    /// <summary>Drop output instead of recording it (for allocation tests).</summary>
    public bool Discard;
    public long Write(int stream, ReadOnlySpan<byte> buffer)
    {
        if (!Discard) (stream == 1 ? Out : Err).Write(buffer);
        return buffer.Length;
    }
    public bool IsTerminal(int stream) => false;
    public int GetTerminalAttributes(int stream, Span<byte> termios) => -Errno.ENOTTY;
    public int GetWindowSize(int stream, Span<byte> winsize) => -Errno.ENOTTY;
    public int Stat(int stream, out FileStatus status) { status = new FileStatus { Mode = 0x1000 | 0x180 }; return 0; }
    public void Flush() { }
    public string OutText => Encoding.UTF8.GetString(Out.ToArray());
    public string ErrText => Encoding.UTF8.GetString(Err.ToArray());
}

internal sealed class FixedClock : IClock
{
    public long RealtimeNanoseconds => 1_700_000_000_123_456_789;
    public long MonotonicNanoseconds => 5_000_000_007;
}

internal sealed class CountingEntropy : IEntropySource
{
    private byte _next;
    public void Fill(Span<byte> buffer) { foreach (ref byte b in buffer) b = _next++; }
}

/// <summary>A personality with one process over fakes (and, if given, the host file system under a root).</summary>
internal sealed class LinuxFixture
{
    public const ulong BrkStart = 0x40_0000, MapBase = 0x100_0000_0000, MapLimit = 0x200_0000_0000;
    public readonly FakeConsole Console = new();
    public readonly FakeStrand Strand = new();
    public readonly LinuxPersonality Personality;
    public readonly LinuxProcess Process;

    public LinuxFixture(IHostFileSystem? fs = null, bool trace = false, string cwd = "/")
    {
        Personality = FakeStrand.WithSlot(new LinuxPersonality(new LinuxServices(fs ?? new Spindle.Kernel.Services.HostFileSystem("/"), Console, new FixedClock(), new CountingEntropy()), trace));
        Process = Personality.CreateProcess(new ProcessIdentity(1234, 1, 1000, 1000), "/bin/prog", cwd, BrkStart, MapBase, MapLimit);
        Personality.AdoptStrand(Strand, Process);
    }

    public long Call(int number, params ulong[] args) => Strand.Call(Personality, number, args);
}
