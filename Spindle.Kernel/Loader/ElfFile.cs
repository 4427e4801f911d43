using System.Buffers.Binary;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Loader;

/// <summary>One PT_LOAD segment, as validated, at its link-time address (before the load bias).</summary>
internal readonly record struct LoadSegment(ulong Offset, ulong Vaddr, ulong FileSize, ulong MemSize, ulong Align, PageRights Rights)
{
    public ulong End => Vaddr + MemSize;
}

/// <summary>
/// The ELF64 header and program headers of a file, read with every bound checked. Parse throws
/// <see cref="ElfException"/> (and nothing else) for anything the loader could not map faithfully;
/// it reads the file only, it never touches an address space.
/// </summary>
internal sealed class ElfFile
{
    // ELF constants (System V ABI, RISC-V psABI).
    public const int HeaderSize = 64, PhdrSize = 56;
    public const ushort EtExec = 2, EtDyn = 3, EmRiscv = 243;
    public const uint PtLoad = 1, PtInterp = 3, PtPhdr = 6;
    private const uint PfX = 1, PfW = 2, PfR = 4;
    /// <summary>Linux's bound on the program header table (load_elf_phdrs): 64 KiB.</summary>
    public const int MaxPhdrTableBytes = 65536;
    /// <summary>Linux's bound on PT_INTERP's p_filesz (PATH_MAX, load_elf_binary).</summary>
    public const int MaxInterpreterBytes = 4096;

    public ushort Type { get; private init; }
    public ulong Entry { get; private init; }
    public ulong PhOff { get; private init; }
    public int PhNum { get; private init; }
    /// <summary>p_vaddr of PT_PHDR, if the file has one.</summary>
    public ulong? PhdrVaddr { get; private init; }
    /// <summary>The path in the first PT_INTERP (up to its first NUL), or null for a static program.</summary>
    public string? Interpreter { get; private init; }
    /// <summary>PT_LOAD segments in ascending address order, pairwise disjoint.</summary>
    public required IReadOnlyList<LoadSegment> Loads { get; init; }

    /// <summary>Reads and validates <paramref name="file"/>. <paramref name="machineBytes"/> bounds any one
    /// segment's size (the most the machine could ever map). Throws ElfException naming the first problem.</summary>
    public static ElfFile Parse(ReadOnlySpan<byte> file, ulong machineBytes)
    {
        CheckIdent(file);
        if (file.Length < HeaderSize) Fail($"truncated ELF header: the file has {file.Length} bytes, the header needs {HeaderSize}");
        ushort type = U16(file, 16), machine = U16(file, 18);
        uint version = U32(file, 20);
        ulong entry = U64(file, 24), phoff = U64(file, 32);
        ushort phentsize = U16(file, 54), phnum = U16(file, 56);

        if (machine != EmRiscv) Fail($"wrong machine: {MachineName(machine)}, expected EM_RISCV (243)");
        if (version != 1) Fail($"wrong ELF version in e_version: {version}, expected 1 (EV_CURRENT)");
        CheckType(type);
        if (phentsize != PhdrSize) Fail($"e_phentsize is {phentsize}, expected {PhdrSize} for ELF64 program headers");
        if (phnum == 0) Fail("no program headers (e_phnum is 0)");
        if (phnum * PhdrSize > MaxPhdrTableBytes)
            Fail($"absurd e_phnum {phnum}: the program header table would exceed {MaxPhdrTableBytes} bytes");
        ulong tableBytes = (ulong)phnum * PhdrSize;
        if (phoff > (ulong)file.Length || tableBytes > (ulong)file.Length - phoff)
            Fail($"program headers outside the file: [0x{phoff:x}, +0x{tableBytes:x}) but the file has 0x{file.Length:x} bytes");

        var loads = new List<LoadSegment>();
        ulong? phdrVaddr = null;
        string? interpreter = null;
        ReadOnlySpan<byte> table = file.Slice((int)phoff, (int)tableBytes);
        for (int i = 0; i < phnum; i++)
        {
            ReadOnlySpan<byte> ph = table.Slice(i * PhdrSize, PhdrSize);
            uint ptype = U32(ph, 0);
            if (ptype == PtInterp) interpreter ??= InterpreterPath(i, file, U64(ph, 8), U64(ph, 32));
            if (ptype == PtPhdr) phdrVaddr = U64(ph, 16);
            if (ptype != PtLoad) continue;
            var seg = new LoadSegment(U64(ph, 8), U64(ph, 16), U64(ph, 32), U64(ph, 40), U64(ph, 48), Rights(U32(ph, 4)));
            CheckSegment(i, seg, file.Length, machineBytes);
            loads.Add(seg);
        }
        if (loads.Count == 0) Fail("no PT_LOAD segment: nothing to load");
        CheckDisjoint(loads);
        if (phdrVaddr is ulong pv && !loads.Any(s => pv >= s.Vaddr && pv <= s.End && tableBytes <= s.End - pv))
            Fail($"PT_PHDR at 0x{pv:x} is not inside a PT_LOAD segment");
        if (!loads.Any(s => (s.Rights & PageRights.Execute) != 0 && entry >= s.Vaddr && entry < s.End))
            Fail($"entry point 0x{entry:x} is not inside an executable PT_LOAD segment");
        return new ElfFile { Type = type, Entry = entry, PhOff = phoff, PhNum = phnum, PhdrVaddr = phdrVaddr, Interpreter = interpreter, Loads = loads };
    }

    // The first PT_INTERP's path, checked as load_elf_binary checks it: 2..PATH_MAX bytes (else ENOEXEC), inside the
    // file (else EIO: Linux's short read), NUL-terminated (else ENOEXEC). The path is the text before the first NUL.
    private static string InterpreterPath(int index, ReadOnlySpan<byte> file, ulong offset, ulong size)
    {
        string which = $"PT_INTERP (program header {index})";
        if (size < 2 || size > MaxInterpreterBytes)
            Fail($"{which}: p_filesz {size} is not a path of 2 to {MaxInterpreterBytes} bytes");
        if (offset > (ulong)file.Length || size > (ulong)file.Length - offset)
            throw new ElfException($"{which}: [0x{offset:x}, +0x{size:x}) is outside the file of 0x{file.Length:x} bytes") { Failure = ExecFailure.Io };
        ReadOnlySpan<byte> text = file.Slice((int)offset, (int)size);
        if (text[^1] != 0) Fail($"{which}: the interpreter's path is not NUL-terminated");
        return global::System.Text.Encoding.UTF8.GetString(text[..text.IndexOf((byte)0)]);
    }

    // e_ident: magic, class, data encoding, version. Scripts and empty files get their own message.
    private static void CheckIdent(ReadOnlySpan<byte> file)
    {
        if (file.IsEmpty) Fail("empty file: not an ELF executable");
        if (file.Length >= 2 && file[0] == '#' && file[1] == '!') Fail("not an ELF file: it starts with #! (a script)");
        if (file.Length < 4) Fail($"not an ELF file: {file.Length} bytes, too short even for the ELF magic");
        if (file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F')
            Fail($"not an ELF file: bad magic {file[0]:x2} {file[1]:x2} {file[2]:x2} {file[3]:x2}, expected 7f 45 4c 46");
        if (file.Length < 16) Fail($"truncated ELF header: the file has {file.Length} bytes, the header needs {HeaderSize}");
        if (file[4] != 2) Fail(file[4] == 1 ? "not 64-bit: ELFCLASS32 (a 32-bit file), expected ELFCLASS64" : $"not 64-bit: bad EI_CLASS {file[4]}, expected 2 (ELFCLASS64)");
        if (file[5] != 1) Fail(file[5] == 2 ? "not little-endian: ELFDATA2MSB (big-endian), expected ELFDATA2LSB" : $"not little-endian: bad EI_DATA {file[5]}, expected 1 (ELFDATA2LSB)");
        if (file[6] != 1) Fail($"wrong ELF version in EI_VERSION: {file[6]}, expected 1 (EV_CURRENT)");
    }

    private static void CheckType(ushort type)
    {
        switch (type)
        {
            case EtExec or EtDyn: return;
            case 0: Fail("ET_NONE (0): the file has no type, not an executable"); break;
            case 1: Fail("ET_REL (1): a relocatable object file, not an executable (link it first)"); break;
            case 4: Fail("ET_CORE (4): a core dump, not an executable"); break;
            default: Fail($"unknown ELF type {type} (0x{type:x}), expected ET_EXEC (2) or ET_DYN (3)"); break;
        }
    }

    // One PT_LOAD on its own: file range inside the file, sizes consistent, address range sane.
    private static void CheckSegment(int index, LoadSegment s, int fileLength, ulong machineBytes)
    {
        string which = $"PT_LOAD (program header {index})";
        if (s.Offset > (ulong)fileLength || s.FileSize > (ulong)fileLength - s.Offset)
            Fail($"{which}: file range [0x{s.Offset:x}, +0x{s.FileSize:x}) is outside the file of 0x{fileLength:x} bytes");
        if (s.FileSize > s.MemSize) Fail($"{which}: p_filesz 0x{s.FileSize:x} > p_memsz 0x{s.MemSize:x}");
        if ((s.Offset & PhysicalMemory.PageMask) != (s.Vaddr & PhysicalMemory.PageMask))
            Fail($"{which}: p_offset 0x{s.Offset:x} and p_vaddr 0x{s.Vaddr:x} are not congruent modulo the page size {PhysicalMemory.PageSize}");
        if (s.MemSize > machineBytes)
            Fail($"{which}: absurd p_memsz 0x{s.MemSize:x}, more than the machine's 0x{machineBytes:x} bytes of memory");
        if (s.Vaddr >= PageTable.UserLimit || s.MemSize > PageTable.UserLimit - s.Vaddr)
            Fail($"{which}: [0x{s.Vaddr:x}, +0x{s.MemSize:x}) ends beyond the user address limit 0x{PageTable.UserLimit:x}");
    }

    // Segments in ascending p_vaddr order (the ELF spec requires it) and no byte in two segments.
    // Two segments may share a page; the loader gives that page the union of their rights.
    private static void CheckDisjoint(List<LoadSegment> loads)
    {
        for (int i = 1; i < loads.Count; i++)
        {
            LoadSegment prev = loads[i - 1], s = loads[i];
            if (s.Vaddr < prev.Vaddr)
                Fail($"PT_LOAD segments not in ascending address order: 0x{s.Vaddr:x} follows 0x{prev.Vaddr:x}");
            if (s.Vaddr < prev.End)
                Fail($"PT_LOAD segments overlap: [0x{prev.Vaddr:x}, 0x{prev.End:x}) and [0x{s.Vaddr:x}, 0x{s.End:x})");
        }
    }

    private static PageRights Rights(uint flags) =>
        ((flags & PfR) != 0 ? PageRights.Read : 0) | ((flags & PfW) != 0 ? PageRights.Write : 0) | ((flags & PfX) != 0 ? PageRights.Execute : 0);

    private static string MachineName(ushort m) => m switch
    {
        0 => "EM_NONE (0)", 3 => "EM_386 (3)", 8 => "EM_MIPS (8)", 20 => "EM_PPC (20)", 21 => "EM_PPC64 (21)",
        22 => "EM_S390 (22)", 40 => "EM_ARM (40)", 62 => "EM_X86_64 (62)", 183 => "EM_AARCH64 (183)",
        258 => "EM_LOONGARCH (258)", _ => $"machine {m}",
    };

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);

    private static void Fail(string message) => throw new ElfException(message);
}
