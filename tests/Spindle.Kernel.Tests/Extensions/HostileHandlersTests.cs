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
/// Hostile handlers on the system-call path, loaded by a user program through the Spindle load call and then called
/// by it in a loop inside the kernel's real run loop: nothing escapes <see cref="KernelRoot.Run"/>, the program
/// sees each call fail or answer and exits normally, and the hostile domains are destroyed at their limits.
/// </summary>
public sealed class HostileHandlersTests : IDisposable
{
    private const string Program = """
        #include <stdio.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        int main(int argc, char **argv)
        {
            for (int i = 1; i < argc; i++) printf("load %ld\n", syscall(1000, argv[i]));
            long thrown = 0, spun = 0, kept = 0;
            for (int i = 0; i < 5; i++) { thrown += syscall(1003); spun += syscall(1005); }
            for (int i = 0; i < 200; i++) kept = syscall(1004);
            printf("thrown %ld spun %ld last %ld\n", thrown, spun, kept);
            printf("alive\n");
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

    private static string Hostile(string name) => Repo.PathOf("tests", "corpus", "syscall", name + ".cs");

    [Fact]
    public void NothingEscapesTheRunLoop_AndTheProgramEndsNormally()
    {
        string program = Toolchain.Compile(Program, "-static", "-O2");
        string[] args = [program, Hostile("ThrowsHostileMessage"), Hostile("Spinner"), Hostile("Hoarder")];
        var strand = _kernel.StartProgram(File.ReadAllBytes(program), program, args, [], out var image);
        var personality = new LinuxPersonality(new LinuxServices(new HostFileSystem("/"), _console, new HostClock(), new HostEntropy()));
        var owner = new KernelOwner("linux");
        personality.Attach(_kernel.DispatcherFor(owner), _kernel.Traps, _kernel.StrandsFor(owner));
        var process = personality.CreateProcess(new ProcessIdentity(100, 1, 0, 0), program, "/", image.BrkStart, image.MapBase, image.MapLimit);
        personality.AdoptStrand(strand, process);
        var calls = KernelExtensions.Start(_kernel, _home.Path, [], TextWriter.Null)!;

        var escaped = Record.Exception(() => _kernel.Run(() => process.HasExited));

        Assert.Null(escaped);
        string output = Encoding.UTF8.GetString(_console.Out.ToArray());
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("load 1\nload 2\nload 3\n", output);
        Assert.Contains("alive\n", output);
        // Every faulted call keeps the default answer, -ENOSYS (syscall() returns -1); after three faults the domain is
        // gone and nothing answers. The hoarder is revoked at its memory quota (128 MB) long before its 200th call.
        Assert.Contains("thrown -5 spun -5 last -1", output);
        Assert.Equal(["public"], calls.Manager.Linker.Domains.Select(d => d.Name));
    }
}
