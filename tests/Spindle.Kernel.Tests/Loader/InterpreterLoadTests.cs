using System.Buffers.Binary;
using Spindle.Kernel.Loader;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.Loader;

/// <summary>
/// Dynamically linked programs as load_elf_binary loads them: the cross libc's real dynamic loader placed below the
/// ceiling, started first, AT_BASE its bias; a bad interpreter refused (ELIBBAD or EIO) with nothing mapped.
/// </summary>
public sealed class InterpreterLoadTests : IDisposable
{
    private const ulong P = PhysicalMemory.PageSize, Ceiling = 0x3f_ff6f_f000;
    private readonly PhysicalMemory _memory = new(4096);
    private readonly FrameAllocator _frames;
    private readonly AddressSpace _space;

    public InterpreterLoadTests()
    {
        _frames = new FrameAllocator(_memory);
        _space = new AddressSpace(_frames);
    }

    public void Dispose() { _space.Dispose(); _memory.Dispose(); }

    private static byte[] Loader => File.ReadAllBytes(Toolchain.DynamicLoader);

    [Fact]
    public void TheInterpreterIsLoadedBelowTheCeilingAndStartsFirst()
    {
        byte[] program = File.ReadAllBytes(Toolchain.DynamicHello), loader = Loader;
        Assert.Equal("/lib/ld-linux-riscv64-lp64d.so.1", ElfLoader.InterpreterOf(program));
        var programHeader = Toolchain.Header(Toolchain.DynamicHello);
        var loaderHeader = Toolchain.Header(Toolchain.DynamicLoader);
        var loaderLoads = Toolchain.LoadSegments(Toolchain.DynamicLoader);

        ProgramImage image = ElfLoader.Load(program, _space, loader, Ceiling);

        Assert.Equal(programHeader.Entry + image.LoadBias, image.Entry);
        Assert.Equal(image.InterpreterBase + loaderHeader.Entry, image.InterpreterEntry);
        Assert.Equal(image.InterpreterEntry, image.Start);
        Assert.Equal(0UL, image.InterpreterBase % P);
        ulong loaderEnd = image.InterpreterBase + loaderLoads.Max(s => s.Vaddr + s.MemSize);
        Assert.True(loaderEnd <= Ceiling && Ceiling - loaderEnd < 0x10_0000, $"the interpreter ends at 0x{loaderEnd:x}, not just below 0x{Ceiling:x}");
        Assert.True(image.InterpreterBase > image.BrkStart, "the interpreter lies above the program and its heap");
        foreach (var s in loaderLoads)   // each segment holds the file's bytes at its biased address
            Assert.Equal(loader.AsSpan((int)s.Offset, (int)s.FileSize).ToArray(), UserMemory.Peek(_space, image.InterpreterBase + s.Vaddr, (int)s.FileSize));
        Assert.True((UserMemory.RightsAt(_space, image.Start) & PageRights.Execute) != 0, "the interpreter's entry is not executable");
    }

    [Fact]
    public void TheAuxiliaryVectorCarriesTheInterpretersBaseAndTheProgramsEntry()
    {
        ProgramImage image = ElfLoader.Load(File.ReadAllBytes(Toolchain.DynamicHello), _space, Loader, Ceiling);
        ulong sp = InitialStack.Build(_space, image, ["hello"], ["A=1"], "/bin/hello", new byte[16]);
        var auxv = new Dictionary<ulong, ulong>();
        ulong at = sp + 8 * (1 + 2 + 2);   // argc, argv[0], NULL, envp[0], NULL
        for (ulong type; (type = Word(at)) != InitialStack.AtNull; at += 16) auxv[type] = Word(at + 8);
        Assert.Equal(image.InterpreterBase, auxv[InitialStack.AtBase]);
        Assert.Equal(image.Entry, auxv[InitialStack.AtEntry]);
        Assert.Equal(image.PhdrAddress, auxv[InitialStack.AtPhdr]);
        Assert.Equal((ulong)image.PhCount, auxv[InitialStack.AtPhnum]);
        Assert.Equal(P, auxv[InitialStack.AtPagesz]);
        Assert.Equal(0UL, auxv[InitialStack.AtSecure]);
    }

    [Fact]
    public void AnExecInterpreterStaysWhereItWasLinked()
    {
        // A static ET_EXEC as the "interpreter" of a PIE: loaded at its own addresses (bias 0), as Linux would.
        byte[] interpreter = File.ReadAllBytes(Toolchain.StaticHello);
        ProgramImage image = ElfLoader.Load(File.ReadAllBytes(Toolchain.DynamicHello), _space, interpreter, Ceiling);
        Assert.Equal(0UL, image.InterpreterBase);
        Assert.Equal(Toolchain.Header(Toolchain.StaticHello).Entry, image.Start);
    }

    public static TheoryData<string, string, ExecFailure> BadInterpreters => new()
    {
        { "script", "interpreter /lib/ld-linux-riscv64-lp64d.so.1: not an ELF file: it starts with #!", ExecFailure.BadInterpreter },
        { "host binary", "interpreter /lib/ld-linux-riscv64-lp64d.so.1: wrong machine: EM_X86_64 (62)", ExecFailure.BadInterpreter },
        { "relocatable", "ET_REL (1)", ExecFailure.BadInterpreter },
        { "overlapping", "overlaps the program", ExecFailure.BadInterpreter },
        { "truncated", "shorter than an ELF header", ExecFailure.Io },
        { "empty", "0 bytes, shorter than an ELF header", ExecFailure.Io },
    };

    [Theory, MemberData(nameof(BadInterpreters))]
    public void ABadInterpreterIsRefusedWithNothingMapped(string which, string message, ExecFailure failure)
    {
        string program = which == "overlapping" ? Toolchain.DynamicHelloNoPie : Toolchain.DynamicHello;
        byte[] interpreter = which switch
        {
            "script" => "#!/bin/sh\necho a shell script long enough to hold an ELF header, but not one\n"u8.ToArray(),
            "host binary" => File.ReadAllBytes("/bin/true"),
            "relocatable" => WithType(Loader, 1),
            "overlapping" => File.ReadAllBytes(Toolchain.StaticHello),   // ET_EXEC at 0x10000, where the -no-pie program is
            "truncated" => Loader[..40],
            _ => [],
        };
        var e = Assert.Throws<ElfException>(() => ElfLoader.Load(File.ReadAllBytes(program), _space, interpreter, Ceiling));
        Assert.Contains(message, e.Message);
        Assert.Equal(failure, e.Failure);
        Assert.Equal(0, _space.PageTable.PresentPages);
        Assert.Equal(_memory.FrameCount, _frames.FreeFrames);
    }

    private static byte[] WithType(byte[] elf, ushort type)
    {
        byte[] f = (byte[])elf.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(16), type);
        return f;
    }

    private ulong Word(ulong va) => BinaryPrimitives.ReadUInt64LittleEndian(UserMemory.Peek(_space, va, 8));
}
