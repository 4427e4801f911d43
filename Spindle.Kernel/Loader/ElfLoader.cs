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
}

/// <summary>A file that is not a loadable RV64 ELF, or an image that could not be set up;
/// the message says exactly what is wrong, <see cref="Failure"/> says which kind of failure it is.</summary>
public sealed class ElfException(string message) : Exception(message)
{
    /// <summary>The kind of failure; <see cref="ExecFailure.NotExecutable"/> unless stated.</summary>
    public ExecFailure Failure { get; init; } = ExecFailure.NotExecutable;
}

/// <summary>What loading an executable produced. Addresses include the load bias.</summary>
public sealed record ProgramImage(ulong Entry, ulong LoadBias, ulong PhdrAddress, int PhentSize, int PhCount, ulong BrkStart);

/// <summary>Loads static (ET_EXEC) and static-pie (ET_DYN, no PT_INTERP) RISC-V ELF64 executables.</summary>
public static class ElfLoader
{
    /// <summary>Where a static-pie (ET_DYN) image is placed: two thirds of the way up to
    /// <see cref="InitialStack.StackTop"/> (as Linux's ELF_ET_DYN_BASE), leaving room below for brk
    /// and above for mmap and the stack. Raised to the segments' largest power-of-two p_align.</summary>
    public const ulong DynamicLoadBase = 0x2a_aaaa_a000;

    private const ulong PageSize = PhysicalMemory.PageSize, PageMask = PhysicalMemory.PageMask;
    private const ulong MaxHonouredAlign = 1UL << 30;

    /// <summary>Validates <paramref name="file"/> and maps its PT_LOAD segments into <paramref name="space"/> with their rights.
    /// Throws <see cref="ElfException"/> for malformed or foreign files, before mapping anything; also (with
    /// <see cref="ExecFailure.OutOfMemory"/>) when memory runs out, after undoing what it mapped.
    /// No relocation is applied: static-pie glibc relocates itself. PT_GNU_STACK is ignored (the stack is never executable).</summary>
    public static ProgramImage Load(ReadOnlySpan<byte> file, AddressSpace space)
    {
        ulong machineBytes = (ulong)space.Frames.Memory.FrameCount << PhysicalMemory.PageShift;
        ElfFile elf = ElfFile.Parse(file, machineBytes);
        ulong bias = elf.Type == ElfFile.EtDyn ? ChooseBias(elf) : 0;
        ulong end = elf.Loads[^1].End;
        if (end > PageTable.UserLimit - bias)
            throw new ElfException($"the image ends at 0x{end:x} + load bias 0x{bias:x}, beyond the user address limit 0x{PageTable.UserLimit:x}");

        List<PageRun> plan = Plan(elf.Loads, bias);
        CheckRoom(plan, space);
        MapAll(plan, space);
        foreach (LoadSegment s in elf.Loads)   // fresh frames are zero, so the bss (and the rest of the last file page) stays zero
            space.Poke(bias + s.Vaddr, file.Slice((int)s.Offset, (int)s.FileSize));

        return new ProgramImage(elf.Entry + bias, bias, PhdrAddress(elf, bias), ElfFile.PhdrSize, elf.PhNum,
            (bias + end + PageMask) & ~PageMask);
    }

    // A run of pages to map with fresh frames, or (Shared) one page already mapped by the previous run whose
    // rights become the union of both segments' rights.
    private readonly record struct PageRun(ulong Va, ulong Length, PageRights Rights, bool Shared);

    // Load bias for ET_DYN: DynamicLoadBase aligned to the largest sane power-of-two p_align.
    private static ulong ChooseBias(ElfFile elf)
    {
        ulong align = PageSize;
        foreach (LoadSegment s in elf.Loads)
            if (s.Align > align && s.Align <= MaxHonouredAlign && ulong.IsPow2(s.Align)) align = s.Align;
        return (DynamicLoadBase + align - 1) & ~(align - 1);
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
