using System.Security.Cryptography;
using Spindle.Kernel.Loader;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Trap;

/// <summary>A program loaded into a fresh address space: where it starts and where its heap and mmap area lie.</summary>
public readonly record struct LoadedProgram(AddressSpace Space, ulong Entry, ulong StackPointer, ExecImage Image);

/// <summary>Builds a fresh address space holding an ELF program and its initial stack (exec's kernel half).</summary>
public static class ProgramLoader
{
    /// <summary>Stack size reserved below <see cref="InitialStack.StackTop"/>, and the guard gap under it.</summary>
    public const ulong StackSize = 8 << 20, StackGuard = 1 << 20;

    /// <summary>
    /// Loads <paramref name="elf"/> (and, if it names one in PT_INTERP, its <paramref name="interpreter"/>'s bytes) into
    /// a new address space with its initial stack. The interpreter goes right below the stack's guard gap and the mmap
    /// area ends below it. Throws <see cref="ElfException"/> (with nothing left allocated) if the file is not a loadable
    /// program or memory runs out.
    /// </summary>
    public static LoadedProgram Load(FrameAllocator frames, ReadOnlySpan<byte> elf, byte[]? interpreter, string path,
        IReadOnlyList<string> argv, IReadOnlyList<string> envp)
    {
        var space = new AddressSpace(frames);
        try
        {
            ulong stackGap = InitialStack.StackTop - StackSize - StackGuard;
            ProgramImage image = ElfLoader.Load(elf, space, interpreter, stackGap);
            ulong sp = InitialStack.Build(space, image, argv, envp, path, RandomNumberGenerator.GetBytes(16), StackSize);
            ulong mapLimit = image.InterpreterEntry != null ? Math.Min(stackGap, image.InterpreterBase) : stackGap;
            ulong mapBase = Math.Max(0x10_0000_0000UL, ((image.BrkStart + 0xfff) & ~0xfffUL) + (1UL << 30));
            return new LoadedProgram(space, image.Start, sp, new ExecImage(image.BrkStart, mapBase, mapLimit));
        }
        catch
        {
            space.Dispose();
            throw;
        }
    }

    /// <summary>The path in <paramref name="elf"/>'s PT_INTERP (null for a static program): 0, or -ENOEXEC or -EIO for a
    /// file that could not be exec'd for its own sake.</summary>
    public static int TryInterpreterOf(ReadOnlySpan<byte> elf, out string? path)
    {
        path = null;
        try { path = ElfLoader.InterpreterOf(elf); return 0; }
        catch (ElfException e) { return e.Failure == ExecFailure.Io ? -Errno.EIO : -Errno.ENOEXEC; }
    }

    /// <summary>As <see cref="Load"/>, but answers 0, -ENOEXEC, -ENOMEM, -E2BIG, -ELIBBAD or -EIO instead of throwing.</summary>
    public static int TryLoad(FrameAllocator frames, ReadOnlySpan<byte> elf, byte[]? interpreter, string path, IReadOnlyList<string> argv,
        IReadOnlyList<string> envp, out LoadedProgram program)
    {
        try
        {
            program = Load(frames, elf, interpreter, path, argv, envp);
            return 0;
        }
        catch (ElfException e)
        {
            program = default;
            return e.Failure switch
            {
                ExecFailure.OutOfMemory => -Errno.ENOMEM,
                ExecFailure.ArgumentsTooLong => -Errno.E2BIG,
                ExecFailure.BadInterpreter => -Errno.ELIBBAD,
                ExecFailure.Io => -Errno.EIO,
                _ => -Errno.ENOEXEC,
            };
        }
    }
}
