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
    /// Loads <paramref name="elf"/> into a new address space with its initial stack. Throws
    /// <see cref="ElfException"/> (with nothing left allocated) if the file is not a loadable program
    /// or memory runs out.
    /// </summary>
    public static LoadedProgram Load(FrameAllocator frames, ReadOnlySpan<byte> elf, string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp)
    {
        var space = new AddressSpace(frames);
        try
        {
            ProgramImage image = ElfLoader.Load(elf, space);
            ulong sp = InitialStack.Build(space, image, argv, envp, path, RandomNumberGenerator.GetBytes(16), StackSize);
            ulong mapLimit = InitialStack.StackTop - StackSize - StackGuard;
            ulong mapBase = Math.Max(0x10_0000_0000UL, ((image.BrkStart + 0xfff) & ~0xfffUL) + (1UL << 30));
            return new LoadedProgram(space, image.Entry, sp, new ExecImage(image.BrkStart, mapBase, mapLimit));
        }
        catch
        {
            space.Dispose();
            throw;
        }
    }

    /// <summary>As <see cref="Load"/>, but answers 0, -ENOEXEC, -ENOMEM or -E2BIG instead of throwing.</summary>
    public static int TryLoad(FrameAllocator frames, ReadOnlySpan<byte> elf, string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp,
        out LoadedProgram program)
    {
        try
        {
            program = Load(frames, elf, path, argv, envp);
            return 0;
        }
        catch (ElfException e)
        {
            program = default;
            return e.Failure switch
            {
                ExecFailure.OutOfMemory => -Errno.ENOMEM,
                ExecFailure.ArgumentsTooLong => -Errno.E2BIG,
                _ => -Errno.ENOEXEC,
            };
        }
    }
}
