using System.Text;
using Spindle.Kernel.Boot;

namespace Spindle.Bench.Suites;

/// <summary>
/// Runs one RISC-V Linux program on Spindle's kernel inside this process, the way <c>spindle run</c> does
/// (ELF loader, initial stack, the Linux personality loaded as a checked extension, trap loop), with its standard output and error captured.
/// The program times itself with clock_gettime, which on Spindle is a system call to the kernel's clock.
/// </summary>
public static class GuestRunner
{
    /// <summary>
    /// Runs <paramref name="exe"/> with <paramref name="args"/>; a fault, kernel error or nonzero exit becomes the output's
    /// failure. <paramref name="extensionCalls"/>: the program may load extensions (spindle_ext_load, as under
    /// <c>spindle run --ext</c>); the reasons for refused loads go to its standard error.
    /// </summary>
    public static ProgramOutput Run(string exe, string[] args, bool extensionCalls = false)
    {
        var console = new CapturedConsole();
        RunningSystem system;
        try { system = SystemBuilder.Build(Describe(exe, args, console, extensionCalls)); }
        catch (BootException e) { return ProgramOutput.Failed(e.Message); }
        using var _ = system;
        int exit = system.Run();
        var strand = system.FirstStrand;
        string? killed = strand.KernelError != null ? $"kernel error: {strand.KernelError.Message}"
            : strand.LastFault is { } trap && system.FirstProcess.Termination is { } how ? $"{how} ({trap})" : null;
        return ProgramOutput.Parse(console.Text(1), console.Text(2), exit, killed);
    }

    /// <summary>
    /// The system a guest program runs on, as <c>spindle run</c> builds it: the Linux personality over the host's
    /// root, <paramref name="console"/> as its standard streams, pid 1, LANG=C. The tests build the same.
    /// </summary>
    public static SystemDescription Describe(string exe, string[] args, CapturedConsole console, bool extensionCalls = false) => new()
    {
        Personality = "Linux",
        Console = console,
        ExtensionCalls = extensionCalls,
        ExtensionLog = new ConsoleWriter(console, 2),
        Program = new FirstProgram(new ProgramImage.Elf(File.ReadAllBytes(exe)), exe, [exe, .. args], ["LANG=C"])
        {
            Executable = Path.GetFullPath(exe),
        },
    };

    /// <summary>The kernel's messages about a program, written to one of its captured streams.</summary>
    private sealed class ConsoleWriter(CapturedConsole console, int stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => Write(value.ToString());
        public override void Write(string? value) => console.Write(stream, Encoding.UTF8.GetBytes(value ?? ""));
    }
}
