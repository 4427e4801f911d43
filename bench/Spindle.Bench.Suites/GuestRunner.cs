using System.Text;
using Spindle.Kernel.Loader;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Compiler;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Services;
using Spindle.Kernel.Trap;
using Spindle.Sdk.Personality;
using Spindle.Sdk.Trap;

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
        using var kernel = new KernelRoot();
        UserStrand strand;
        ExecImage image;
        try
        {
            strand = kernel.StartProgram(File.ReadAllBytes(exe), exe, [exe, .. args], ["LANG=C"], out image);
        }
        catch (ElfException e) { return ProgramOutput.Failed($"{exe}: {e.Message}"); }

        var console = new CapturedConsole();
        using var fs = new HostFileSystem("/");
        var manager = ExtensionManager.ForKernel(kernel, SpindleHome.Default);
        var linux = LinkedPersonality.LoadStandard(manager, "Linux", new PersonalityGrants(fs, console, new HostClock(), new HostEntropy()), out string? error);
        if (linux is null) return ProgramOutput.Failed($"cannot load the Linux personality: {error}");
        var process = linux.StartProcess(strand, new ProcessStart(1, 0, 0, 0, Path.GetFullPath(exe), "/", image.BrkStart, image.MapBase, image.MapLimit));
        if (process is null) return ProgramOutput.Failed($"{exe}: the Linux personality did not start it: {linux.LastFault}");
        if (extensionCalls) KernelExtensions.Start(kernel, manager, [], new ConsoleWriter(console, 2));
        kernel.Run(() => process.HasExited);

        int exit = process.HasExited ? process.ExitStatus : linux.ExitStatus(strand.End);
        string? killed = strand.KernelError != null ? $"kernel error: {strand.KernelError.Message}"
            : strand.LastFault is { } trap && exit > 128 ? $"killed by signal {exit - 128} ({trap})" : null;
        return ProgramOutput.Parse(console.Text(1), console.Text(2), exit, killed);
    }

    /// <summary>The kernel's messages about a program, written to one of its captured streams.</summary>
    private sealed class ConsoleWriter(CapturedConsole console, int stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => Write(value.ToString());
        public override void Write(string? value) => console.Write(stream, Encoding.UTF8.GetBytes(value ?? ""));
    }
}
