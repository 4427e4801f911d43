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

/// <summary>spindle_ext_load/unload inside a running kernel: a program's extensions are its own and end with it.</summary>
public sealed class ProgramExtensionsTests : IDisposable
{
    private const string Source = """
        #include <stdio.h>
        #include <string.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        int main(int argc, char **argv)
        {
            long ref = syscall(1000, argv[1]);
            long a = syscall(1002), b = syscall(1002);
            printf("ref %ld calls %ld %ld\n", ref, a, b);
            if (argc > 2) printf("unload %ld\n", syscall(1001, ref));
            return 0;
        }
        """;

    private readonly TestHome _home = new();
    private readonly KernelRoot _kernel = new(new KernelOptions(MemoryBytes: 64UL << 20, FirstStrandId: 100));
    private readonly FakeConsole _console = new();

    public void Dispose()
    {
        _kernel.Dispose();
        _home.Dispose();
    }

    private static string NullSyscall => Repo.PathOf("extensions", "Examples", "NullSyscall.cs");

    // Runs the program (argv[1] = path, argv[2] present = unload before exit) to its end; returns its output.
    private (string Output, ProgramExtensions Calls) Run(params string[] args)
    {
        string program = Toolchain.Compile(Source, "-static", "-O2");
        var strand = _kernel.StartProgram(File.ReadAllBytes(program), program, [program, .. args], [], out var image);
        var personality = new LinuxPersonality(new LinuxServices(new HostFileSystem("/"), _console, new HostClock(), new HostEntropy()));
        var owner = new KernelOwner("linux");
        personality.Attach(_kernel.DispatcherFor(owner), _kernel.Traps, _kernel.StrandsFor(owner));
        var process = personality.CreateProcess(new ProcessIdentity(100, 1, 0, 0), program, "/", image.BrkStart, image.MapBase, image.MapLimit);
        personality.AdoptStrand(strand, process);
        var calls = KernelExtensions.Start(_kernel, _home.Path, [], TextWriter.Null)!;
        _kernel.Run(() => process.HasExited);
        Assert.Equal(0, process.ExitCode);
        return (Encoding.UTF8.GetString(_console.Out.ToArray()), calls);
    }

    [Fact]
    public void AProgramsExtension_AnswersIt_AndIsUnloadedWhenItExits()
    {
        var (output, calls) = Run(NullSyscall);
        Assert.Equal("ref 1 calls 1 2\n", output);
        var linker = ExtensionManagerOf(calls);
        Assert.Equal(["public"], linker.Domains.Select(d => d.Name));   // the NullSyscall domain went with the program
        Assert.Empty(_kernel.Dispatcher.BindingsOf(linker.Public));
    }

    [Fact]
    public void UnloadingByReference_RemovesTheHandlerAtOnce()
    {
        var (output, calls) = Run(NullSyscall, "unload");
        Assert.Equal("ref 1 calls 1 2\nunload 0\n", output);
        Assert.Equal(["public"], ExtensionManagerOf(calls).Domains.Select(d => d.Name));
    }

    private static Spindle.Kernel.Domain.Linker ExtensionManagerOf(ProgramExtensions calls) => calls.Manager.Linker;
}
