using Spindle.Kernel.Extensions;

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

    private readonly ProgramKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    private static string NullSyscall => Repo.PathOf("extensions", "Examples", "NullSyscall.cs");

    // Runs the program (argv[1] = path, argv[2] present = unload before exit) to its end; returns its output.
    private (string Output, ProgramExtensions Calls) Run(params string[] args)
    {
        Assert.Equal(0, _kernel.Run(Source, args));
        return (_kernel.Output, _kernel.Calls!);
    }

    [Fact]
    public void AProgramsExtension_AnswersIt_AndIsUnloadedWhenItExits()
    {
        var (output, calls) = Run(NullSyscall);
        Assert.Equal("ref 1 calls 1 2\n", output);
        var linker = ExtensionManagerOf(calls);
        Assert.Equal(["public"], linker.Domains.Select(d => d.Name));   // the NullSyscall domain went with the program
        Assert.Empty(_kernel.Kernel.Dispatcher.BindingsOf(linker.Public));
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
