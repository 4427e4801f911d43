using System.Buffers.Binary;
using System.Text;
using Spindle.Kernel.Loader;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.Loader;

/// <summary>
/// Malformed and foreign executables, one per loader validation rule, each with the message fragment
/// the loader must report. Mutations are applied to a real cross-compiled static ELF.
/// Reuse (e.g. for differential tests against qemu-riscv64): run
/// <c>SPINDLE_ELF_CORPUS=/some/dir dotnet test tests/Spindle.Kernel.Tests --filter MalformedElfCorpusTests</c>;
/// it writes <c>NAME.elf</c> files and a <c>MANIFEST.tsv</c> (name, expected message fragment) there.
/// </summary>
public static class MalformedElfCorpus
{
    public sealed record Case(string Name, string ExpectedMessage, byte[] Bytes, ExecFailure Failure = ExecFailure.NotExecutable)
    {
        public override string ToString() => Name;
    }

    private const int PtNull = 0, PtLoad = 1, PtInterp = 3, PtNote = 4, PtPhdr = 6;

    /// <summary>The corpus, built from a valid static RV64 ELF with at least two PT_LOADs and a PT_NOTE,
    /// a dynamically linked RV64 ELF, and a host (x86-64) binary.</summary>
    public static IReadOnlyList<Case> Build(byte[] validStatic, byte[] dynamicRiscv, byte[] hostBinary)
    {
        var cases = new List<Case>
        {
            new("empty", "empty file", []),
            new("garbage-3-bytes", "too short even for the ELF magic", [0x13, 0x37, 0x42]),
            new("shell-script", "starts with #! (a script)", Encoding.ASCII.GetBytes("#!/bin/sh\necho hello\n")),
            new("host-binary", "wrong machine: EM_X86_64 (62), expected EM_RISCV (243)", hostBinary),
            new("dynamic-riscv", "dynamically linked: its interpreter /lib/ld-linux-riscv64-lp64d.so.1 was not given", dynamicRiscv),
            new("truncated-ident", "truncated ELF header", validStatic[..10]),
            new("truncated-header", "truncated ELF header: the file has 40 bytes", validStatic[..40]),
        };
        void Add(string name, string expected, Action<byte[]> mutate, ExecFailure failure = ExecFailure.NotExecutable)
        {
            byte[] f = (byte[])validStatic.Clone();
            mutate(f);
            cases.Add(new Case(name, expected, f, failure));
        }
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(validStatic.AsSpan(56));
        int load0 = Phdr(validStatic, PtLoad, 0), load1 = Phdr(validStatic, PtLoad, 1), note = Phdr(validStatic, PtNote, 0);
        ulong off1 = U64(validStatic, load1 + 8), filesz1 = U64(validStatic, load1 + 32);
        ulong vaddr0 = U64(validStatic, load0 + 16), memsz0 = U64(validStatic, load0 + 40);
        ulong low1 = off1 & PhysicalMemory.PageMask;

        Add("bad-magic", "bad magic 7f 58 4c 46", f => f[1] = (byte)'X');
        Add("elfclass32", "not 64-bit: ELFCLASS32", f => f[4] = 1);
        Add("bad-class", "not 64-bit: bad EI_CLASS 7", f => f[4] = 7);
        Add("big-endian", "not little-endian: ELFDATA2MSB", f => f[5] = 2);
        Add("bad-data", "not little-endian: bad EI_DATA 0", f => f[5] = 0);
        Add("bad-ei-version", "wrong ELF version in EI_VERSION: 0", f => f[6] = 0);
        Add("bad-e-version", "wrong ELF version in e_version: 2", f => Set32(f, 20, 2));
        Add("machine-x86-64", "wrong machine: EM_X86_64 (62), expected EM_RISCV (243)", f => Set16(f, 18, 62));
        Add("machine-aarch64", "wrong machine: EM_AARCH64 (183), expected EM_RISCV (243)", f => Set16(f, 18, 183));
        Add("machine-unknown", "wrong machine: machine 4660, expected EM_RISCV (243)", f => Set16(f, 18, 0x1234));
        Add("et-none", "ET_NONE (0)", f => Set16(f, 16, 0));
        Add("et-rel", "ET_REL (1): a relocatable object file", f => Set16(f, 16, 1));
        Add("et-core", "ET_CORE (4): a core dump", f => Set16(f, 16, 4));
        Add("et-unknown", "unknown ELF type 65024", f => Set16(f, 16, 0xfe00));
        // PT_INTERP as load_elf_binary checks it (the note's header becomes one): 2..PATH_MAX bytes, inside the file, NUL-terminated.
        void Interp(byte[] f, ulong offset, ulong size) { Set32(f, note, PtInterp); Set64(f, note + 8, offset); Set64(f, note + 32, size); }
        Add("pt-interp-one-byte", "p_filesz 1 is not a path of 2 to 4096 bytes", f => Interp(f, 0, 1));
        Add("pt-interp-too-long", "p_filesz 4097 is not a path of 2 to 4096 bytes", f => Interp(f, 0, 4097));
        Add("pt-interp-unterminated", "the interpreter's path is not NUL-terminated", f => Interp(f, 0, 3));
        Add("pt-interp-beyond-file", "is outside the file", f => Interp(f, (ulong)f.Length - 2, 4), ExecFailure.Io);
        Add("pt-interp-not-given", "was not given", f => Interp(f, 0, 8));
        Add("phentsize", "e_phentsize is 32, expected 56", f => Set16(f, 54, 32));
        Add("phnum-zero", "no program headers", f => Set16(f, 56, 0));
        Add("phnum-absurd", "absurd e_phnum 65535", f => Set16(f, 56, 0xffff));
        Add("phoff-beyond-file", "program headers outside the file", f => Set64(f, 32, (ulong)f.Length - 56 * (ulong)phnum + 8));
        Add("phoff-wrapping", "program headers outside the file", f => Set64(f, 32, ulong.MaxValue - 8));
        Add("segment-beyond-file", "is outside the file", f => Set64(f, load1 + 8, (ulong)f.Length + low1));
        Add("segment-filesz-wrapping", "is outside the file", f => Set64(f, load1 + 32, ulong.MaxValue - 4));
        Add("filesz-above-memsz", "> p_memsz", f => Set64(f, load1 + 40, filesz1 - 8));
        Add("incongruent", "not congruent modulo the page size", f => Set64(f, load1 + 16, U64(f, load1 + 16) + 8));
        Add("overlapping", "PT_LOAD segments overlap",
            f => Set64(f, load1 + 16, ((vaddr0 + memsz0) & ~PhysicalMemory.PageMask) - 0x1000 + low1));
        Add("descending", "not in ascending address order", f => Swap(f, load0, load1));
        Add("beyond-user-limit", "beyond the user address limit", f => Set64(f, load1 + 16, PageTable.UserLimit - 0x1000 + low1));
        Add("vaddr-wrapping", "beyond the user address limit", f => Set64(f, load1 + 16, ulong.MaxValue - PhysicalMemory.PageMask + low1));
        Add("absurd-memsz", "absurd p_memsz 0x10000000000", f => Set64(f, load1 + 40, 1UL << 40));
        Add("no-pt-load", "no PT_LOAD segment", f => { Set32(f, load0, PtNull); Set32(f, load1, PtNull); });
        Add("entry-in-data", "is not inside an executable PT_LOAD segment", f => Set64(f, 24, U64(f, load1 + 16)));
        Add("entry-unmapped", "is not inside an executable PT_LOAD segment", f => Set64(f, 24, 8));
        Add("pt-phdr-outside", "PT_PHDR at 0x100 is not inside a PT_LOAD segment",
            f => { Set32(f, note, PtPhdr); Set64(f, note + 16, 0x100); });
        return cases;
    }

    /// <summary>Writes each case as NAME.elf plus MANIFEST.tsv (name TAB expected fragment) into <paramref name="dir"/>.</summary>
    public static void WriteTo(string dir, IReadOnlyList<Case> cases)
    {
        Directory.CreateDirectory(dir);
        foreach (Case c in cases) File.WriteAllBytes(Path.Combine(dir, c.Name + ".elf"), c.Bytes);
        File.WriteAllLines(Path.Combine(dir, "MANIFEST.tsv"), cases.Select(c => $"{c.Name}.elf\t{c.ExpectedMessage}"));
    }

    // File offset of the nth program header of the given type.
    private static int Phdr(byte[] f, uint type, int nth)
    {
        int phoff = (int)U64(f, 32), phnum = BinaryPrimitives.ReadUInt16LittleEndian(f.AsSpan(56));
        for (int i = 0; i < phnum; i++)
            if (BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(phoff + 56 * i)) == type && nth-- == 0) return phoff + 56 * i;
        throw new InvalidOperationException($"base ELF has no program header #{nth} of type {type}");
    }

    private static void Swap(byte[] f, int a, int b)
    {
        byte[] tmp = f[a..(a + 56)];
        f.AsSpan(b, 56).CopyTo(f.AsSpan(a));
        tmp.CopyTo(f, b);
    }

    private static ulong U64(byte[] f, int at) => BinaryPrimitives.ReadUInt64LittleEndian(f.AsSpan(at));
    private static void Set16(byte[] f, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(at), v);
    private static void Set32(byte[] f, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(at), v);
    private static void Set64(byte[] f, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(f.AsSpan(at), v);
}
