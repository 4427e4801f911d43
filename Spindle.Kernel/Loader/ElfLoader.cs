using Spindle.Kernel.Translation;

namespace Spindle.Kernel.Loader;

// SKELETON: the memory/ELF helper replaces the bodies; the public surface is the contract.
/// <summary>A file that is not a loadable RV64 ELF; the message says exactly what is wrong.</summary>
public sealed class ElfException(string message) : Exception(message);

/// <summary>What loading an executable produced.</summary>
public sealed record ProgramImage(ulong Entry, ulong LoadBias, ulong PhdrAddress, int PhentSize, int PhCount, ulong BrkStart);

/// <summary>Loads static (ET_EXEC) and static-pie (ET_DYN, no PT_INTERP) RISC-V ELF64 executables.</summary>
public static class ElfLoader
{
    /// <summary>Validates <paramref name="file"/> and maps its PT_LOAD segments into <paramref name="space"/> with their rights. Throws <see cref="ElfException"/> for malformed or foreign files, before mapping anything.</summary>
    public static ProgramImage Load(ReadOnlySpan<byte> file, AddressSpace space) => throw new NotImplementedException();
}

/// <summary>Builds the initial user stack as Linux does: argc, argv, envp, auxv, strings, AT_RANDOM bytes.</summary>
public static class InitialStack
{
    /// <summary>Default top of the user stack.</summary>
    public const ulong StackTop = 0x3f_ffff_f000;
    /// <summary>Maps the stack (rw) below <see cref="StackTop"/> and fills it; returns the initial sp (16-byte aligned, pointing at argc).</summary>
    public static ulong Build(AddressSpace space, ProgramImage image, IReadOnlyList<string> argv, IReadOnlyList<string> envp, string execFn, ReadOnlySpan<byte> random16, ulong stackSize = 8 << 20) => throw new NotImplementedException();
}
