using System.Buffers.Binary;
using System.Text;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Loader;

/// <summary>
/// Builds the initial user stack as Linux does for riscv64 (fs/exec.c copy_strings and
/// fs/binfmt_elf.c create_elf_tables, without address randomization). From StackTop down:
/// <code>
///   StackTop - 8 .. StackTop    a zero word
///   strings                     argv[0..], envp[0..], execfn  (ascending, NUL-terminated)
///   (align down to 16)
///   16 bytes                    AT_RANDOM
///   (padding so that sp is 16-byte aligned)
///   auxv                        (type, value) pairs ending with AT_NULL
///   envp pointers, NULL
///   argv pointers, NULL
///   sp -> argc
/// </code>
/// No AT_SYSINFO_EHDR (there is no vDSO), no AT_PLATFORM (riscv has none), no cache-geometry entries.
/// </summary>
public static class InitialStack
{
    /// <summary>Default top of the user stack.</summary>
    public const ulong StackTop = 0x3f_ffff_f000;

    /// <summary>AT_HWCAP of an RV64IMAFDC hart: bit (letter - 'A') for each single-letter extension.</summary>
    public const ulong Rv64gcHwcap = 1UL << ('I' - 'A') | 1UL << ('M' - 'A') | 1UL << ('A' - 'A') |
                                     1UL << ('F' - 'A') | 1UL << ('D' - 'A') | 1UL << ('C' - 'A');

    /// <summary>Auxiliary vector types (include/uapi/linux/auxvec.h).</summary>
    public const ulong AtNull = 0, AtPhdr = 3, AtPhent = 4, AtPhnum = 5, AtPagesz = 6, AtBase = 7, AtFlags = 8,
        AtEntry = 9, AtUid = 11, AtEuid = 12, AtGid = 13, AtEgid = 14, AtHwcap = 16, AtClktck = 17,
        AtSecure = 23, AtRandom = 25, AtExecfn = 31;

    /// <summary>Clock ticks per second reported in AT_CLKTCK (USER_HZ).</summary>
    public const ulong ClockTicks = 100;

    private const int AuxEntries = 17;   // including AT_NULL

    /// <summary>Maps the stack (rw) below <see cref="StackTop"/> and fills it; returns the initial sp (16-byte aligned, pointing at argc).
    /// <paramref name="stackSize"/> is a whole number of pages; arguments, environment and tables may use a quarter of it (Linux's rule).
    /// Throws <see cref="ElfException"/>: <see cref="ExecFailure.ArgumentsTooLong"/> if they do not fit,
    /// <see cref="ExecFailure.OutOfMemory"/> if frames run out, <see cref="ExecFailure.NotExecutable"/> if the image
    /// occupies the stack's range (nothing is mapped then). Throws ArgumentException for a caller error
    /// (random16 not 16 bytes, a string containing NUL, a stack size not a whole number of pages).</summary>
    public static ulong Build(AddressSpace space, ProgramImage image, IReadOnlyList<string> argv, IReadOnlyList<string> envp,
        string execFn, ReadOnlySpan<byte> random16, ulong stackSize = 8 << 20,
        uint uid = 0, uint euid = 0, uint gid = 0, uint egid = 0, ulong hwcap = Rv64gcHwcap)
    {
        if (random16.Length != 16) throw new ArgumentException("AT_RANDOM needs exactly 16 bytes", nameof(random16));
        if (stackSize == 0 || (stackSize & PhysicalMemory.PageMask) != 0 || stackSize > StackTop)
            throw new ArgumentException($"stack size 0x{stackSize:x} is not a whole number of pages below StackTop", nameof(stackSize));

        byte[][] args = Encode(argv, "argv"), envs = Encode(envp, "envp");
        byte[] exec = Encode([execFn], "execFn")[0];
        ulong stringBytes = (ulong)(args.Sum(a => (long)a.Length) + envs.Sum(e => (long)e.Length) + exec.Length);
        ulong top = StackTop - 8;
        ulong strings = top - stringBytes;
        ulong random = (strings & ~15UL) - 16;
        ulong words = (ulong)(1 + args.Length + 1 + envs.Length + 1 + 2 * AuxEntries);
        ulong sp = (random - words * 8) & ~15UL;
        if (StackTop - sp > stackSize / 4)
            throw new ElfException($"argument list too long: {StackTop - sp} bytes of arguments, environment and tables, " +
                                   $"the limit is {stackSize / 4} (a quarter of the stack)") { Failure = ExecFailure.ArgumentsTooLong };

        ulong bottom = StackTop - stackSize;
        if (space.FindFree(stackSize, bottom, StackTop) != bottom)
            throw new ElfException($"the program's image overlaps the stack [0x{bottom:x}, 0x{StackTop:x})");
        if (!space.MapAnonymous(bottom, stackSize, PageRights.ReadWrite))
            throw new ElfException($"out of memory mapping a stack of {stackSize >> 10} KiB") { Failure = ExecFailure.OutOfMemory };

        // Lay the block [sp, StackTop) out in host memory, then copy it out at once.
        var block = new byte[StackTop - sp];
        var w = new Writer(block, sp);
        w.Word(sp, (ulong)args.Length);
        ulong at = strings, slot = sp + 8;
        foreach (byte[] a in args) { w.Bytes(at, a); w.Word(slot, at); at += (ulong)a.Length; slot += 8; }
        slot += 8;                                                    // argv NULL
        foreach (byte[] e in envs) { w.Bytes(at, e); w.Word(slot, at); at += (ulong)e.Length; slot += 8; }
        slot += 8;                                                    // envp NULL
        ulong execFnAt = at;
        w.Bytes(execFnAt, exec);
        w.Bytes(random, random16);
        ulong[] auxv =
        [
            AtHwcap, hwcap, AtPagesz, PhysicalMemory.PageSize, AtClktck, ClockTicks,
            AtPhdr, image.PhdrAddress, AtPhent, (ulong)image.PhentSize, AtPhnum, (ulong)image.PhCount,
            AtBase, image.InterpreterBase, AtFlags, 0, AtEntry, image.Entry,
            AtUid, uid, AtEuid, euid, AtGid, gid, AtEgid, egid,
            AtSecure, 0, AtRandom, random, AtExecfn, execFnAt, AtNull, 0,
        ];
        foreach (ulong v in auxv) { w.Word(slot, v); slot += 8; }
        space.CopyOut(sp, block);   // cannot fail: the range was just mapped read-write
        return sp;
    }

    // UTF-8 with a terminating NUL; a string with an embedded NUL is a caller error.
    private static byte[][] Encode(IReadOnlyList<string> strings, string what)
    {
        var result = new byte[strings.Count][];
        for (int i = 0; i < strings.Count; i++)
        {
            if (strings[i].Contains('\0')) throw new ArgumentException($"{what}[{i}] contains a NUL character", what);
            result[i] = new byte[Encoding.UTF8.GetByteCount(strings[i]) + 1];
            Encoding.UTF8.GetBytes(strings[i], result[i]);
        }
        return result;
    }

    // Writes into the host copy of the user block that starts at user address `origin`.
    private readonly ref struct Writer(Span<byte> block, ulong origin)
    {
        private readonly Span<byte> _block = block;
        public void Word(ulong va, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_block[(int)(va - origin)..], value);
        public void Bytes(ulong va, ReadOnlySpan<byte> bytes) => bytes.CopyTo(_block[(int)(va - origin)..]);
    }
}
