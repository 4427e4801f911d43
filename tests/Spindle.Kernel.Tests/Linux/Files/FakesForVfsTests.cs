using System.Buffers.Binary;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Services;
using Spindle.Sdk.Io;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>A wait queue that records wake-ups (no strand ever waits on it in unit tests).</summary>
internal sealed class FakeWaitQueue(string name) : IWaitQueue
{
    public string Name => name;
    public int Count => 0;
    public int Wakes { get; private set; }
    public StrandAwaitable Wait(StrandHandle self, long timeoutNs = -1) => throw new InvalidOperationException("unit tests do not wait");
    public bool WakeOne() { Wakes++; return false; }
    public int WakeAll() { Wakes++; return 0; }
}

/// <summary>The personality over a memory-file-system root with fake wait queues; a scratch area of 8 pages.</summary>
internal sealed class MemoryRootFixture
{
    public readonly FakeConsole Console = new();
    public readonly FakeStrand S = new() { Now = 1_000_000 };
    public readonly LinuxPersonality Personality;
    public readonly LinuxProcess Process;
    public readonly MemoryFs Fs = new(new FixedClock());
    public readonly List<FakeWaitQueue> Queues = [];
    public readonly ulong Buf;
    public static readonly ulong Cwd = unchecked((ulong)LinuxAbi.AT_FDCWD);

    public MemoryRootFixture(bool waitQueues = true, Spindle.Sdk.PhysAddr.IPhysAddrService? memory = null)
    {
        Personality = FakeStrand.WithSlot(new LinuxPersonality(new LinuxServices(new HostFileSystem("/"), Console, new FixedClock(), new CountingEntropy(), memory)));
        Process = Personality.CreateProcess(new ProcessIdentity(1234, 1, 1000, 1000), "/bin/prog", "/",
            LinuxFixture.BrkStart, LinuxFixture.MapBase, LinuxFixture.MapLimit);
        Personality.AdoptStrand(S, Process);
        Personality.UseRoot(Fs);
        if (waitQueues) Personality.UseWaitQueues(n => { var q = new FakeWaitQueue(n); Queues.Add(q); return q; });
        Buf = S.Scratch(0x10_0000, pages: 8);
    }

    /// <summary>Runs call number with args; returns the result register (S.BlockedOn says whether it blocked).</summary>
    public long Call(int number, params ulong[] args)
    {
        S.Number = (ulong)number;
        Array.Clear(S.Args);
        args.CopyTo(S.Args, 0);
        S.BlockedOn = null;
        Personality.Syscall(S);
        Assert.False(S.HasExited, "a file call ended the strand");
        return S.Result;
    }

    /// <summary>Puts a NUL-terminated string in scratch page <paramref name="page"/> and returns its address.</summary>
    public ulong Str(string s, int page = 0) => S.PutString(Buf + (ulong)page * 4096, s);

    /// <summary>Address of scratch page <paramref name="page"/>.</summary>
    public ulong Page(int page) => Buf + (ulong)page * 4096;

    public long Open(string path, int flags, uint mode = 0x1a4) => Call(Sys.openat, Cwd, Str(path), (ulong)flags, mode);

    public long WriteText(long fd, string text)
    {
        byte[] b = Encoding.UTF8.GetBytes(text);
        S.CopyOut(Page(7), b);
        return Call(Sys.write, (ulong)fd, Page(7), (ulong)b.Length);
    }

    public string ReadText(long fd, int max = 256)
    {
        long n = Call(Sys.read, (ulong)fd, Page(6), (ulong)max);
        Assert.True(n >= 0, $"read = {n}");
        return Encoding.UTF8.GetString(S.Get(Page(6), (int)n));
    }

    /// <summary>The whole text of path, read through open and read in small pieces; the descriptor is closed after.</summary>
    public string Cat(string path)
    {
        long fd = Open(path, 0);
        Assert.True(fd >= 0, $"open {path} = {fd}");
        var text = new StringBuilder();
        for (string part; (part = ReadText(fd, 64)).Length > 0; ) text.Append(part);
        Assert.Equal(0, Call(Sys.close, (ulong)fd));
        return text.ToString();
    }

    public string Cwdir()
    {
        long n = Call(Sys.getcwd, Page(5), 4096);
        Assert.True(n > 0, $"getcwd = {n}");
        return Encoding.UTF8.GetString(S.Get(Page(5), (int)n - 1));
    }

    /// <summary>stat of path: (st_mode, st_ino, st_nlink, st_size), or the errno as mode.</summary>
    public (long Mode, ulong Inode, uint Links, long Size) Stat(string path, int flags = 0)
    {
        long r = Call(Sys.newfstatat, Cwd, Str(path), Page(4), (ulong)flags);
        if (r < 0) return (r, 0, 0, 0);
        byte[] st = S.Get(Page(4), 128);
        return (BinaryPrimitives.ReadUInt32LittleEndian(st.AsSpan(16)), BinaryPrimitives.ReadUInt64LittleEndian(st.AsSpan(8)),
            BinaryPrimitives.ReadUInt32LittleEndian(st.AsSpan(20)), BinaryPrimitives.ReadInt64LittleEndian(st.AsSpan(48)));
    }

    /// <summary>Names getdents64 lists for the open directory fd.</summary>
    public List<string> List(long fd)
    {
        var names = new List<string>();
        long n;
        while ((n = Call(Sys.getdents64, (ulong)fd, Page(3), 4096)) > 0)
        {
            byte[] d = S.Get(Page(3), (int)n);
            for (int at = 0; at < n; at += BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(at + 16)))
                names.Add(Encoding.UTF8.GetString(d, at + 19, Array.IndexOf(d, (byte)0, at + 19) - at - 19));
        }
        Assert.Equal(0, n);
        return names;
    }
}
