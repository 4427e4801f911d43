using System.Text;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Services;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Tests.Linux;
using Spindle.Kernel.Tests.Loader;

namespace Spindle.Kernel.Tests.Extensions;

/// <summary>
/// A kernel running one C program under the Linux personality with Spindle's load call (1000) installed: what the
/// tests of extensions that programs load need. <see cref="Run"/> compiles the program, runs it to its end in the
/// kernel's real run loop and returns its exit code; the console and the kernel's log of refused loads are kept.
/// </summary>
internal sealed class ProgramKernel : IDisposable
{
    private readonly TestHome _home = new();

    public ProgramKernel() => Kernel = new KernelRoot(new KernelOptions(MemoryBytes: 64UL << 20, FirstStrandId: 100));

    public KernelRoot Kernel { get; }
    public FakeConsole Console { get; } = new();

    /// <summary>The kernel's reasons for refused loads.</summary>
    public StringWriter Log { get; } = new();

    /// <summary>The load and unload calls of the last run.</summary>
    public ProgramExtensions? Calls { get; private set; }

    /// <summary>What made the kernel abort the program's strand, if anything.</summary>
    public Exception? KernelError { get; private set; }

    /// <summary>What the program wrote to the console.</summary>
    public string Output => Encoding.UTF8.GetString(Console.Out.ToArray());

    /// <summary>Compiles <paramref name="source"/> and runs it with <paramref name="args"/> to its end; returns its exit code.</summary>
    public int Run(string source, params string[] args)
    {
        string program = Toolchain.Compile(source, "-static", "-O2");
        var strand = Kernel.StartProgram(File.ReadAllBytes(program), null, program, [program, .. args], [], out var image);
        var personality = new LinuxPersonality(new LinuxServices(new HostFileSystem("/"), Console, new HostClock(), new HostEntropy()));
        var owner = new KernelOwner("linux");
        personality.Attach(Kernel.DispatcherFor(owner), Kernel.Traps, Kernel.Lifecycle, Kernel.StrandsFor(owner));
        var process = personality.CreateProcess(new ProcessIdentity(100, 1, 0, 0), program, "/", image.BrkStart, image.MapBase, image.MapLimit);
        personality.AdoptStrand(strand, process);
        Calls = new ProgramExtensions(Kernel, ExtensionManager.ForKernel(Kernel, _home.Path), TextWriter.Synchronized(Log));
        Kernel.Run(() => process.HasExited);
        KernelError = strand.KernelError;
        return process.ExitCode;
    }

    public void Dispose()
    {
        Kernel.Dispose();
        _home.Dispose();
    }
}
