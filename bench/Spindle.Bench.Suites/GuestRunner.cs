using System.Security.Cryptography;
using System.Text;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Loader;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Services;
using Spindle.Kernel.Trap;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using Spindle.Sdk.Io;

namespace Spindle.Bench.Suites;

/// <summary>
/// Runs one RISC-V Linux program on Spindle's kernel inside this process, the way <c>spindle run</c> does
/// (ELF loader, initial stack, Linux personality, trap loop), with its standard output and error captured.
/// The program times itself with clock_gettime, which on Spindle is a system call to the kernel's clock.
/// </summary>
public static class GuestRunner
{
    private const uint MemoryFrames = (256u << 20) / PhysicalMemory.PageSize;
    private const ulong StackSize = 8 << 20, StackGuard = 1 << 20;

    /// <summary>Runs <paramref name="exe"/> with <paramref name="args"/>; a fault, kernel error or nonzero exit becomes the output's failure.</summary>
    public static ProgramOutput Run(string exe, string[] args)
    {
        using var memory = new PhysicalMemory(MemoryFrames);
        using var space = new AddressSpace(new FrameAllocator(memory));
        ProgramImage image;
        ulong sp;
        try
        {
            image = ElfLoader.Load(File.ReadAllBytes(exe), space);
            sp = InitialStack.Build(space, image, [exe, .. args], ["LANG=C"], exe, RandomNumberGenerator.GetBytes(16), StackSize);
        }
        catch (ElfException e) { return ProgramOutput.Failed($"{exe}: {e.Message}"); }

        var hart = new Hart(memory) { PageTable = space.PageTable };
        var console = new CapturedConsole();
        using var fs = new HostFileSystem("/");
        var personality = new LinuxPersonality(new LinuxServices(fs, console, new HostClock(), new HostEntropy()));
        var strand = new UserStrand(1, hart, space);
        strand.Start(image.Entry, sp);
        ulong mapLimit = InitialStack.StackTop - StackSize - StackGuard;
        ulong mapBase = Math.Max(0x10_0000_0000UL, ((image.BrkStart + 0xfff) & ~0xfffUL) + (1UL << 30));
        strand.ProcessState = personality.CreateProcess(new ProcessIdentity(1, 0, 0, 0), exe, "/", image.BrkStart, mapBase, mapLimit);

        TrapOutcome outcome = TrapLoop.Run(hart, strand, personality.Syscall);
        string? killed = outcome.KernelError != null ? $"kernel error: {outcome.KernelError.Message}"
            : outcome.Fault is { } trap ? $"killed by signal {outcome.Status} ({trap})" : null;
        return ProgramOutput.Parse(console.Text(1), console.Text(2), outcome.ExitCode, killed);
    }

    /// <summary>A console with no input whose output streams are kept in memory.</summary>
    private sealed class CapturedConsole : IConsole
    {
        private readonly MemoryStream[] _out = [new(), new()];

        public string Text(int stream) => Encoding.UTF8.GetString(_out[stream - 1].ToArray());
        public long Read(Span<byte> buffer) => 0;
        public long Write(int stream, ReadOnlySpan<byte> buffer)
        {
            if (stream is not (1 or 2)) return -Errno.EBADF;
            _out[stream - 1].Write(buffer);
            return buffer.Length;
        }
        public bool IsTerminal(int stream) => false;
        public int GetTerminalAttributes(int stream, Span<byte> termios) => -Errno.ENOTTY;
        public int GetWindowSize(int stream, Span<byte> winsize) => -Errno.ENOTTY;
        public int Stat(int stream, out FileStatus status) { status = default; return -Errno.EBADF; }
        public void Flush() { }
    }
}
