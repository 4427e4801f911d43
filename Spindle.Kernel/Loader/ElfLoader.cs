using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Loader;

/// <summary>Why an exec failed, so that a personality can pick the errno.</summary>
public enum ExecFailure
{
    /// <summary>The file is not a loadable RV64 ELF executable (ENOEXEC).</summary>
    NotExecutable,
    /// <summary>Physical memory ran out while mapping the image or the stack (ENOMEM).</summary>
    OutOfMemory,
    /// <summary>Arguments and environment do not fit in the stack's share for them (E2BIG).</summary>
    ArgumentsTooLong,
    /// <summary>The program's interpreter (PT_INTERP) is not a loadable RV64 ELF (ELIBBAD, as Linux).</summary>
    BadInterpreter,
    /// <summary>A part of a file named by its headers lies past its end (EIO: Linux's short read).</summary>
    Io,
}

/// <summary>A file that is not a loadable RV64 ELF, or an image that could not be set up;
/// the message says exactly what is wrong, <see cref="Failure"/> says which kind of failure it is.</summary>
public sealed class ElfException(string message) : Exception(message)
{
    /// <summary>The kind of failure; <see cref="ExecFailure.NotExecutable"/> unless stated.</summary>
    public ExecFailure Failure { get; init; } = ExecFailure.NotExecutable;
}

/// <summary>What loading an executable produced. Addresses include the load bias.</summary>
/// <param name="Entry">The executable's entry (AT_ENTRY).</param>
/// <param name="InterpreterBase">The interpreter's load bias (AT_BASE); 0 without one.</param>
/// <param name="Start">Where the program's first instruction is: the interpreter's entry if there is one, else <paramref name="Entry"/>.</param>
public sealed record ProgramImage(ulong Entry, ulong LoadBias, ulong PhdrAddress, int PhentSize, int PhCount, ulong BrkStart,
    ulong InterpreterBase = 0, ulong? InterpreterEntry = null)
{
    /// <summary>The address of the first instruction that runs.</summary>
    public ulong Start => InterpreterEntry ?? Entry;
}

/// <summary>
/// Loads RISC-V ELF64 executables as Linux's load_elf_binary does: static (ET_EXEC), static-pie (ET_DYN without
/// PT_INTERP), and dynamically linked ones (PT_INTERP), whose interpreter (the dynamic loader, ET_DYN) is loaded
/// beside them, placed top-down below a ceiling the caller gives, and started first.
/// </summary>
public static class ElfLoader
{
    /// <summary>Where a static-pie (ET_DYN) image is placed: two thirds of the way up to
    /// <see cref="InitialStack.StackTop"/> (as Linux's ELF_ET_DYN_BASE), leaving room below for brk
    /// and above for mmap and the stack. Raised to the segments' largest power-of-two p_align.</summary>
    public const ulong DynamicLoadBase = 0x2a_aaaa_a000;

    private const ulong PageSize = PhysicalMemory.PageSize, PageMask = PhysicalMemory.PageMask;
    private const ulong MaxHonouredAlign = 1UL << 30;

    /// <summary>The path in <paramref name="file"/>'s PT_INTERP, or null for a static program. Throws <see cref="ElfException"/>
    /// for a file <see cref="Load"/> would refuse for its own sake.</summary>
    public static string? InterpreterOf(ReadOnlySpan<byte> file) => ElfFile.Parse(file, PageTable.UserLimit).Interpreter;

    /// <summary>Validates <paramref name="file"/> (and, for a program with PT_INTERP, its <paramref name="interpreter"/>'s
    /// bytes, which the caller read from the path <see cref="InterpreterOf"/> named) and maps their PT_LOAD segments into
    /// <paramref name="space"/> with their rights; an ET_DYN interpreter goes top-down below <paramref name="interpreterCeiling"/>.
    /// Throws <see cref="ElfException"/> for malformed or foreign files, before mapping anything: a bad interpreter with
    /// <see cref="ExecFailure.BadInterpreter"/>, a program whose interpreter was not given with NotExecutable; also (with
    /// <see cref="ExecFailure.OutOfMemory"/>) when memory runs out, after undoing what it mapped. An interpreter given to
    /// a static program is ignored, as is the interpreter's own PT_INTERP. No relocation is applied: static-pie glibc
    /// and the dynamic loader relocate themselves. PT_GNU_STACK is ignored (the stack is never executable).</summary>
    public static ProgramImage Load(ReadOnlySpan<byte> file, AddressSpace space, byte[]? interpreter = null, ulong interpreterCeiling = InitialStack.StackTop)
    {
        ulong machineBytes = (ulong)space.Frames.Memory.FrameCount << PhysicalMemory.PageShift;
        ElfFile elf = ElfFile.Parse(file, machineBytes);
        ulong bias = elf.Type == ElfFile.EtDyn ? ChooseBias(elf) : 0;
        ulong end = elf.Loads[^1].End;
        if (end > PageTable.UserLimit - bias)
            throw new ElfException($"the image ends at 0x{end:x} + load bias 0x{bias:x}, beyond the user address limit 0x{PageTable.UserLimit:x}");
        List<PageRun> plan = Plan(elf.Loads, bias);
        ElfFile? interp = null;
        ulong interpBias = 0;
        if (elf.Interpreter is string path)
        {
            if (interpreter == null) throw new ElfException($"dynamically linked: its interpreter {path} was not given");
            interp = ParseInterpreter(path, interpreter, machineBytes);
            interpBias = PlaceInterpreter(path, interp, interpreterCeiling, bias + (elf.Loads[0].Vaddr & ~PageMask), bias + end);
            plan.AddRange(Plan(interp.Loads, interpBias));
        }
        CheckRoom(plan, space);
        MapAll(plan, space);
        foreach (LoadSegment s in elf.Loads)   // fresh frames are zero, so the bss (and the rest of the last file page) stays zero
            space.Poke(bias + s.Vaddr, file.Slice((int)s.Offset, (int)s.FileSize));
        if (interp != null)
            foreach (LoadSegment s in interp.Loads) space.Poke(interpBias + s.Vaddr, interpreter.AsSpan((int)s.Offset, (int)s.FileSize));

        return new ProgramImage(elf.Entry + bias, bias, PhdrAddress(elf, bias), ElfFile.PhdrSize, elf.PhNum,
            (bias + end + PageMask) & ~PageMask, interp == null ? 0 : interpBias, interp == null ? null : interp.Entry + interpBias);
    }

    // The interpreter's headers: anything that would not load is ELIBBAD (Linux: before the point of no return for the
    // header, magic and machine; after it, a killed process, for the rest; Spindle checks all first), a file shorter
    // than the ELF header EIO (Linux's short read).
    private static ElfFile ParseInterpreter(string path, byte[] interpreter, ulong machineBytes)
    {
        if (interpreter.Length < ElfFile.HeaderSize)
            throw new ElfException($"interpreter {path}: {interpreter.Length} bytes, shorter than an ELF header") { Failure = ExecFailure.Io };
        try { return ElfFile.Parse(interpreter, machineBytes); }
        catch (ElfException e) { throw new ElfException($"interpreter {path}: {e.Message}") { Failure = ExecFailure.BadInterpreter }; }
    }

    // The interpreter's load bias: an ET_DYN one ends at the ceiling (aligned down to its largest p_align), as Linux's
    // top-down mmap puts it below the stack; an ET_EXEC one stays where it was linked. Either must miss the program's
    // pages [imageLow, imageHigh).
    private static ulong PlaceInterpreter(string path, ElfFile interp, ulong ceiling, ulong imageLow, ulong imageHigh)
    {
        ulong low = interp.Loads[0].Vaddr & ~PageMask, high = (interp.Loads[^1].End + PageMask) & ~PageMask;
        ulong bias = 0;
        if (interp.Type == ElfFile.EtDyn)
        {
            ulong align = Alignment(interp);
            if (high - low > ceiling) throw new ElfException($"interpreter {path}: 0x{high - low:x} bytes do not fit below 0x{ceiling:x}") { Failure = ExecFailure.BadInterpreter };
            bias = ((ceiling - (high - low)) & ~(align - 1)) - low;
        }
        if (bias + low < imageHigh && imageLow < bias + high)
            throw new ElfException($"interpreter {path}: [0x{bias + low:x}, 0x{bias + high:x}) overlaps the program [0x{imageLow:x}, 0x{imageHigh:x})") { Failure = ExecFailure.BadInterpreter };
        return bias;
    }

    // A run of pages to map with fresh frames, or (Shared) one page already mapped by the previous run whose
    // rights become the union of both segments' rights.
    private readonly record struct PageRun(ulong Va, ulong Length, PageRights Rights, bool Shared);

    // Load bias for ET_DYN: DynamicLoadBase aligned up to the largest sane power-of-two p_align.
    private static ulong ChooseBias(ElfFile elf)
    {
        ulong align = Alignment(elf);
        return (DynamicLoadBase + align - 1) & ~(align - 1);
    }

    // The largest power-of-two p_align up to 1 GiB, at least a page.
    private static ulong Alignment(ElfFile elf)
    {
        ulong align = PageSize;
        foreach (LoadSegment s in elf.Loads)
            if (s.Align > align && s.Align <= MaxHonouredAlign && ulong.IsPow2(s.Align)) align = s.Align;
        return align;
    }

    // Turns the segments (ascending, disjoint) into page runs. Two segments share at most one page.
    private static List<PageRun> Plan(IReadOnlyList<LoadSegment> loads, ulong bias)
    {
        var plan = new List<PageRun>();
        ulong mappedEnd = 0;
        foreach (LoadSegment s in loads)
        {
            if (s.MemSize == 0) continue;
            ulong lo = (bias + s.Vaddr) & ~PageMask, hi = (bias + s.End + PageMask) & ~PageMask;
            if (lo < mappedEnd) { plan.Add(new PageRun(lo, PageSize, s.Rights, Shared: true)); lo += PageSize; }
            if (hi > lo) plan.Add(new PageRun(lo, hi - lo, s.Rights, Shared: false));
            mappedEnd = Math.Max(mappedEnd, hi);
        }
        return plan;
    }

    // Last checks before mapping: the target pages are free and there are frames for all of them.
    private static void CheckRoom(List<PageRun> plan, AddressSpace space)
    {
        ulong pages = 0;
        foreach (PageRun run in plan.Where(r => !r.Shared)) pages += run.Length >> PhysicalMemory.PageShift;
        if (pages > space.Frames.FreeFrames)
            throw new ElfException($"out of memory: the image needs {pages} pages, {space.Frames.FreeFrames} are free") { Failure = ExecFailure.OutOfMemory };
        foreach (PageRun run in plan.Where(r => !r.Shared))
            for (ulong va = run.Va; va < run.Va + run.Length; va += PageSize)
                if (space.PageTable.TryGet(va, out _))
                    throw new ElfException($"the address space already has a page at 0x{va:x}, inside the image");
    }

    // Maps the plan; if memory runs out half-way, unmaps what it mapped and throws.
    private static void MapAll(List<PageRun> plan, AddressSpace space)
    {
        for (int i = 0; i < plan.Count; i++)
        {
            PageRun run = plan[i];
            if (run.Shared)
            {
                space.PageTable.TryGet(run.Va, out PageTableEntry e);
                space.Protect(run.Va, PageSize, e.Rights | run.Rights);
                continue;
            }
            if (space.MapAnonymous(run.Va, run.Length, run.Rights)) continue;
            for (int j = 0; j < i; j++) if (!plan[j].Shared) space.Unmap(plan[j].Va, plan[j].Length);
            throw new ElfException($"out of memory mapping 0x{run.Length:x} bytes at 0x{run.Va:x}") { Failure = ExecFailure.OutOfMemory };
        }
    }

    // AT_PHDR: PT_PHDR's address if present, else where the first segment containing the table puts it; 0 if none does
    // (static glibc then falls back to __ehdr_start).
    private static ulong PhdrAddress(ElfFile elf, ulong bias)
    {
        if (elf.PhdrVaddr is ulong v) return v + bias;
        ulong tableEnd = elf.PhOff + (ulong)elf.PhNum * ElfFile.PhdrSize;
        foreach (LoadSegment s in elf.Loads)
            if (elf.PhOff >= s.Offset && tableEnd <= s.Offset + s.FileSize)
                return bias + s.Vaddr + (elf.PhOff - s.Offset);
        return 0;
    }
}
