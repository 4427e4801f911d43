using Spindle.Kernel.Loader;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;
using static Spindle.Kernel.Tests.Loader.ElfBuilder;

namespace Spindle.Kernel.Tests.Loader;

public sealed class ElfLoaderTests : IDisposable
{
    private const ulong P = PhysicalMemory.PageSize;
    private readonly PhysicalMemory _memory = new(4096);
    private readonly FrameAllocator _frames;
    private readonly AddressSpace _space;

    public ElfLoaderTests()
    {
        _frames = new FrameAllocator(_memory);
        _space = new AddressSpace(_frames);
    }

    public void Dispose() { _space.Dispose(); _memory.Dispose(); }

    private static ulong PageDown(ulong v) => v & ~(P - 1);
    private static ulong PageUp(ulong v) => (v + P - 1) & ~(P - 1);

    private static PageRights Rights(string flags) =>
        (flags.Contains('R') ? PageRights.Read : 0) | (flags.Contains('W') ? PageRights.Write : 0) | (flags.Contains('E') ? PageRights.Execute : 0);

    public static TheoryData<string> Programs => new() { "static glibc", "static freestanding", "static-pie freestanding" };

    private static string PathOf(string which) => which switch
    {
        "static glibc" => Toolchain.StaticHello,
        "static freestanding" => Toolchain.StaticFreestanding,
        _ => Toolchain.StaticPieFreestanding,
    };

    [Theory, MemberData(nameof(Programs))]
    public void MapsRealBinariesAsReadelfDescribesThem(string which)
    {
        string path = PathOf(which);
        byte[] file = File.ReadAllBytes(path);
        var header = Toolchain.Header(path);
        var loads = Toolchain.LoadSegments(path);
        Assert.NotEmpty(loads);

        ProgramImage image = ElfLoader.Load(file, _space);

        ulong bias = which.StartsWith("static-pie") ? ElfLoader.DynamicLoadBase : 0;
        Assert.Equal(bias, image.LoadBias);
        Assert.Equal(header.Entry + bias, image.Entry);
        Assert.Equal(header.PhNum, image.PhCount);
        Assert.Equal(56, image.PhentSize);
        Assert.Equal(PageUp(bias + loads.Max(s => s.Vaddr + s.MemSize)), image.BrkStart);
        Assert.True((UserMemory.RightsAt(_space, image.Entry) & PageRights.Execute) != 0, "entry not executable");
        // AT_PHDR points at a copy of the program header table.
        Assert.Equal(file.AsSpan((int)header.PhOff, 56 * header.PhNum).ToArray(), UserMemory.Peek(_space, image.PhdrAddress, 56 * header.PhNum));

        var expectedRights = new Dictionary<ulong, PageRights>();
        foreach (var s in loads)
            for (ulong page = PageDown(bias + s.Vaddr); page < PageUp(bias + s.Vaddr + s.MemSize); page += P)
                expectedRights[page] = expectedRights.GetValueOrDefault(page) | Rights(s.Flags);
        Assert.Equal(expectedRights.Count, _space.PageTable.PresentPages);
        foreach (var (page, rights) in expectedRights) Assert.Equal(rights, UserMemory.RightsAt(_space, page));

        foreach (var s in loads)
        {
            ulong va = bias + s.Vaddr;
            Assert.Equal(file.AsSpan((int)s.Offset, (int)s.FileSize).ToArray(), UserMemory.Peek(_space, va, (int)s.FileSize));
            ulong zeroFrom = va + s.FileSize, zeroTo = PageUp(va + s.MemSize);   // bss plus the rest of its last page
            Assert.True(UserMemory.Peek(_space, zeroFrom, (int)(zeroTo - zeroFrom)).All(b => b == 0), "bss not zero");
        }
    }

    [Fact]
    public void GlibcProgramDataIsWritableBssZeroedAndRodataProtected()
    {
        string path = Toolchain.StaticHello;
        ElfLoader.Load(File.ReadAllBytes(path), _space);
        ulong initialized = Toolchain.Symbol(path, "initialized"), bss = Toolchain.Symbol(path, "bss");
        var four = new byte[16];
        Assert.True(_space.CopyIn(initialized, four));
        Assert.Equal(new byte[] { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22, 0x33, 0x33, 0x33, 0x33, 0x44, 0x44, 0x44, 0x44 }, four);
        Assert.True(_space.CopyOut(initialized, new byte[4]), "initialized data must be writable");
        var zeros = new byte[100000];
        Assert.True(_space.CopyIn(bss, zeros));
        Assert.All(zeros, b => Assert.Equal(0, b));
        Assert.True(_space.CopyOut(bss + 99999, new byte[1]), "bss must be writable");
        ulong message = Toolchain.Symbol(path, "message");
        Assert.False(_space.CopyOut(message, new byte[1]), "rodata must not be writable");
    }

    // Text and data sharing page 0x11000; file bytes after p_filesz that must not appear in memory.
    private static ElfBuilder SharedPageElf(ushort type = 2, ulong baseVa = 0x10000, ulong align = 0x1000)
    {
        var b = new ElfBuilder { Type = type, Entry = baseVa + 0x100 };
        b.Segments.Add(new Segment(PtLoad, PfR | PfX, 0, baseVa, 0x1800, 0x1800, align));
        b.Segments.Add(new Segment(PtLoad, PfR | PfW, 0x1800, baseVa + 0x1800, 0x100, 0x2000, align));
        b.Contents[0x100] = Enumerable.Repeat((byte)0xAA, 0x1700).ToArray();
        b.Contents[0x1800] = Enumerable.Repeat((byte)0xBB, 0x100).ToArray();
        b.Contents[0x1900] = Enumerable.Repeat((byte)0xEE, 0x700).ToArray();   // past p_filesz: must read as zero
        return b;
    }

    [Fact]
    public void SegmentsSharingAPageGetTheUnionOfRightsAndKeepTheirBytes()
    {
        byte[] file = SharedPageElf().Build();
        ProgramImage image = ElfLoader.Load(file, _space);
        Assert.Equal(PageRights.ReadExecute, UserMemory.RightsAt(_space, 0x10000));
        Assert.Equal(PageRights.All, UserMemory.RightsAt(_space, 0x11000));
        Assert.Equal(PageRights.ReadWrite, UserMemory.RightsAt(_space, 0x12000));
        Assert.Equal(PageRights.ReadWrite, UserMemory.RightsAt(_space, 0x13000));
        Assert.Equal(4, _space.PageTable.PresentPages);
        Assert.All(UserMemory.Peek(_space, 0x10100, 0x1700), b => Assert.Equal(0xAA, b));
        Assert.All(UserMemory.Peek(_space, 0x11800, 0x100), b => Assert.Equal(0xBB, b));
        Assert.All(UserMemory.Peek(_space, 0x11900, 0x2700), b => Assert.Equal(0, b));
        Assert.Equal(0x10040UL, image.PhdrAddress);   // inside the first segment, which starts at offset 0
        Assert.Equal(0x14000UL, image.BrkStart);
    }

    [Fact]
    public void PtPhdrWinsAndMissingTableGivesZero()
    {
        var b = SharedPageElf();
        b.Segments.Insert(0, new Segment(PtPhdr, PfR, 64, 0x10040, 3 * 56, 3 * 56, 8));
        Assert.Equal(0x10040UL, ElfLoader.Load(b.Build(), _space).PhdrAddress);
        _space.Unmap(0, PageTable.UserLimit);

        var c = new ElfBuilder { Entry = 0x20000 };   // the only segment starts past the table
        c.Segments.Add(new Segment(PtLoad, PfR | PfX, 0x1000, 0x20000, 0x10, 0x10));
        Assert.Equal(0UL, ElfLoader.Load(c.Build(), _space).PhdrAddress);
    }

    [Fact]
    public void StaticPieIsPlacedAtTheBaseRaisedToItsAlignment()
    {
        ProgramImage image = ElfLoader.Load(SharedPageElf(type: 3, baseVa: 0, align: 0x200000).Build(), _space);
        ulong bias = (ElfLoader.DynamicLoadBase + 0x1fffff) & ~0x1fffffUL;
        Assert.Equal(bias, image.LoadBias);
        Assert.Equal(bias + 0x100, image.Entry);
        Assert.Equal(bias + 0x40, image.PhdrAddress);
        Assert.Equal(PageRights.All, UserMemory.RightsAt(_space, bias + 0x1000));
        Assert.True(bias + 0x4000 <= InitialStack.StackTop - (64UL << 20), "image must leave room for the stack and mmap");
    }

    [Fact]
    public void StaticPieEndingBeyondTheUserLimitAfterBiasIsRefused()
    {
        var b = new ElfBuilder { Type = 3, Entry = PageTable.UserLimit - 0x1000 };
        b.Segments.Add(new Segment(PtLoad, PfR | PfX, 0, PageTable.UserLimit - 0x1000, 0x100, 0x100));
        var e = Assert.Throws<ElfException>(() => ElfLoader.Load(b.Build(), _space));
        Assert.Contains("beyond the user address limit", e.Message);
        Assert.Equal(0, _space.PageTable.PresentPages);
    }

    [Fact]
    public void EmptySegmentsAreSkipped()
    {
        var b = SharedPageElf();
        b.Segments.Add(new Segment(PtLoad, PfR, 0, 0x50000, 0, 0));
        ElfLoader.Load(b.Build(), _space);
        Assert.Equal(4, _space.PageTable.PresentPages);
    }

    [Fact]
    public void OccupiedTargetIsRefusedAndLeftAlone()
    {
        Assert.True(_space.MapAnonymous(0x12000, P, PageRights.Read));
        Assert.True(_space.Poke(0x12000, [42]));
        var e = Assert.Throws<ElfException>(() => ElfLoader.Load(SharedPageElf().Build(), _space));
        Assert.Contains("already has a page at 0x12000", e.Message);
        Assert.Equal(1, _space.PageTable.PresentPages);
        Assert.Equal(42, UserMemory.Peek(_space, 0x12000, 1)[0]);
    }

    [Fact]
    public void OutOfMemoryIsReportedAsSuchWithNothingMapped()
    {
        using var small = new PhysicalMemory(3);
        var frames = new FrameAllocator(small);
        using var space = new AddressSpace(frames);
        var e = Assert.Throws<ElfException>(() => ElfLoader.Load(SharedPageElf().Build(), space));
        Assert.Equal(ExecFailure.OutOfMemory, e.Failure);
        Assert.Contains("needs 4 pages, 3 are free", e.Message);
        Assert.Equal(3u, frames.FreeFrames);
        Assert.Equal(0, space.PageTable.PresentPages);
    }
}
