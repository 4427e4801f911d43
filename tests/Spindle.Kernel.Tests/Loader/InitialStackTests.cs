using System.Buffers.Binary;
using System.Text;
using Spindle.Kernel.Loader;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.Loader;

public sealed class InitialStackTests : IDisposable
{
    private const ulong Top = InitialStack.StackTop;
    private static readonly byte[] Random16 = Enumerable.Range(0xA0, 16).Select(i => (byte)i).ToArray();
    private readonly PhysicalMemory _memory = new(4096);
    private readonly FrameAllocator _frames;
    private readonly AddressSpace _space;

    public InitialStackTests()
    {
        _frames = new FrameAllocator(_memory);
        _space = new AddressSpace(_frames);
    }

    public void Dispose() { _space.Dispose(); _memory.Dispose(); }

    private ulong Word(ulong va)
    {
        var b = new byte[8];
        Assert.True(_space.CopyIn(va, b), $"word at 0x{va:x} unreadable");
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    private string CString(ulong va)
    {
        var b = new byte[4096];
        int n = _space.ReadCString(va, b, b.Length);
        Assert.True(n >= 0, $"string at 0x{va:x}: {n}");
        return Encoding.UTF8.GetString(b, 0, n);
    }

    // The stack as a program sees it at entry, read back through CopyIn only.
    private (long Argc, ulong[] Argv, ulong[] Envp, List<(ulong Type, ulong Value)> Auxv) Parse(ulong sp)
    {
        long argc = (long)Word(sp);
        ulong at = sp + 8;
        var argv = new List<ulong>();
        for (ulong p; (p = Word(at)) != 0; at += 8) argv.Add(p);
        Assert.Equal(argc, argv.Count);
        at += 8;
        var envp = new List<ulong>();
        for (ulong p; (p = Word(at)) != 0; at += 8) envp.Add(p);
        at += 8;
        var auxv = new List<(ulong, ulong)>();
        for (; ; at += 16) { auxv.Add((Word(at), Word(at + 8))); if (auxv[^1].Item1 == 0) break; }
        return (argc, argv.ToArray(), envp.ToArray(), auxv);
    }

    [Fact]
    public void LaysOutArgvEnvpAuxvAndStringsAsLinuxDoes()
    {
        string path = Toolchain.StaticHello;
        ProgramImage image = ElfLoader.Load(File.ReadAllBytes(path), _space);
        string[] argv = ["prog", "two words", "ünïcödé", ""];
        string[] envp = ["HOME=/root", "EMPTY="];
        ulong sp = InitialStack.Build(_space, image, argv, envp, "/bin/prog", Random16, uid: 1000, euid: 1001, gid: 100, egid: 101);

        Assert.Equal(0UL, sp % 16);
        var (argc, argvP, envpP, auxv) = Parse(sp);
        Assert.Equal(argv.Length, argc);
        Assert.Equal(argv, argvP.Select(CString));
        Assert.Equal(envp, envpP.Select(CString));

        // Strings ascend contiguously from argv[0] to execfn, which ends just below a zero word at StackTop.
        ulong execFn = auxv.Single(a => a.Type == InitialStack.AtExecfn).Value;
        ulong[] strings = [.. argvP, .. envpP, execFn];
        for (int i = 1; i < strings.Length; i++)
            Assert.Equal(strings[i - 1] + (ulong)Encoding.UTF8.GetByteCount(CString(strings[i - 1])) + 1, strings[i]);
        Assert.Equal("/bin/prog", CString(execFn));
        Assert.Equal(Top - 8, execFn + 10);
        Assert.Equal(0UL, Word(Top - 8));

        ulong random = auxv.Single(a => a.Type == InitialStack.AtRandom).Value;
        Assert.Equal((argvP[0] & ~15UL) - 16, random);
        var r = new byte[16];
        Assert.True(_space.CopyIn(random, r));
        Assert.Equal(Random16, r);

        // Linux's order (create_elf_tables, no ARCH_DLINFO entries since there is no vDSO).
        var h = Toolchain.Header(path);
        (ulong, ulong)[] expected =
        [
            (16, 0x112d), (6, 4096), (17, 100), (3, image.PhdrAddress), (4, 56), (5, (ulong)h.PhNum),
            (7, 0), (8, 0), (9, h.Entry), (11, 1000), (12, 1001), (13, 100), (14, 101), (23, 0),
            (25, random), (31, execFn), (0, 0),
        ];
        Assert.Equal(expected, auxv);
        Assert.Equal(64UL, image.PhdrAddress & 0xfff);   // static glibc: the table inside the first segment

        // sp sits within 16 bytes of the tables: nothing between auxv and the random bytes but padding.
        ulong auxEnd = sp + 8 * (ulong)(1 + argv.Length + 1 + envp.Length + 1) + 16 * (ulong)auxv.Count;
        Assert.InRange(random - auxEnd, 0UL, 15UL);
    }

    [Fact]
    public void MapsTheStackReadWriteBelowStackTop()
    {
        ProgramImage image = ElfLoader.Load(File.ReadAllBytes(Toolchain.StaticFreestanding), _space);
        long before = _space.PageTable.PresentPages;
        InitialStack.Build(_space, image, ["a"], [], "a", Random16, stackSize: 64 * 1024);
        Assert.Equal(before + 16, _space.PageTable.PresentPages);
        Assert.True(_space.IsMapped(Top - 64 * 1024, 64 * 1024));
        Assert.False(_space.IsMapped(Top - 64 * 1024 - 1, 1));
        Assert.False(_space.IsMapped(Top, 1));
        Assert.Equal(PageRights.ReadWrite, UserMemory.RightsAt(_space, Top - 64 * 1024));
        Assert.Equal(PageRights.ReadWrite, UserMemory.RightsAt(_space, Top - 1));
    }

    [Fact]
    public void SpIsAlignedForEveryShapeOfArguments()
    {
        ProgramImage image = ElfLoader.Load(File.ReadAllBytes(Toolchain.StaticFreestanding), _space);
        var rng = new Random(7);
        for (int trial = 0; trial < 60; trial++)
        {
            string[] argv = Enumerable.Range(0, rng.Next(0, 6)).Select(_ => new string('a', rng.Next(0, 40))).ToArray();
            string[] envp = Enumerable.Range(0, rng.Next(0, 6)).Select(_ => new string('e', rng.Next(0, 40))).ToArray();
            string execFn = new('x', rng.Next(1, 20));
            ulong sp = InitialStack.Build(_space, image, argv, envp, execFn, Random16, stackSize: 16 * 4096);
            Assert.Equal(0UL, sp % 16);
            var (argc, argvP, envpP, auxv) = Parse(sp);
            Assert.Equal(argv, argvP.Select(CString));
            Assert.Equal(envp, envpP.Select(CString));
            Assert.Equal(execFn, CString(auxv.Single(a => a.Type == InitialStack.AtExecfn).Value));
            _space.Unmap(Top - 16 * 4096, 16 * 4096);
        }
    }

    [Fact]
    public void TooManyArgumentsIsE2bigWithNothingMapped()
    {
        ProgramImage image = ElfLoader.Load(File.ReadAllBytes(Toolchain.StaticFreestanding), _space);
        long before = _space.PageTable.PresentPages;
        string[] envp = Enumerable.Repeat(new string('v', 1000), 20).ToArray();   // 20 KB > 64 KiB / 4
        var e = Assert.Throws<ElfException>(() => InitialStack.Build(_space, image, ["a"], envp, "a", Random16, stackSize: 64 * 1024));
        Assert.Equal(ExecFailure.ArgumentsTooLong, e.Failure);
        Assert.Contains("argument list too long", e.Message);
        Assert.Equal(before, _space.PageTable.PresentPages);
    }

    [Fact]
    public void ImageInTheStackRangeIsRefused()
    {
        var b = new ElfBuilder { Entry = Top - 0x2000 };
        b.Segments.Add(new ElfBuilder.Segment(ElfBuilder.PtLoad, ElfBuilder.PfR | ElfBuilder.PfX, 0, Top - 0x2000, 0x100, 0x100));
        ProgramImage image = ElfLoader.Load(b.Build(), _space);
        var e = Assert.Throws<ElfException>(() => InitialStack.Build(_space, image, ["a"], [], "a", Random16));
        Assert.Contains("overlaps the stack", e.Message);
        Assert.Equal(1, _space.PageTable.PresentPages);
    }

    [Fact]
    public void OutOfMemoryForTheStackIsReported()
    {
        using var small = new PhysicalMemory(8);
        var frames = new FrameAllocator(small);
        using var space = new AddressSpace(frames);
        ProgramImage image = ElfLoader.Load(File.ReadAllBytes(Toolchain.StaticFreestanding), space);
        var e = Assert.Throws<ElfException>(() => InitialStack.Build(space, image, ["a"], [], "a", Random16, stackSize: 64 * 1024));
        Assert.Equal(ExecFailure.OutOfMemory, e.Failure);
        Assert.False(space.IsMapped(Top - 4096, 1));
    }

    [Fact]
    public void CallerErrorsAreArgumentExceptions()
    {
        ProgramImage image = ElfLoader.Load(File.ReadAllBytes(Toolchain.StaticFreestanding), _space);
        Assert.Throws<ArgumentException>(() => InitialStack.Build(_space, image, ["a"], [], "a", new byte[15]));
        Assert.Throws<ArgumentException>(() => InitialStack.Build(_space, image, ["a\0b"], [], "a", Random16));
        Assert.Throws<ArgumentException>(() => InitialStack.Build(_space, image, ["a"], [], "a", Random16, stackSize: 4097));
    }
}
