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
            for (int i = 0; i < 5; i++) { thrown += syscall(1003); spun += syscall(1002); }
            for (int i = 0; i < 200; i++) kept = syscall(1004);
            printf("thrown %ld spun %ld last %ld\n", thrown, spun, kept);
            printf("alive\n");
            return 0;
        }
        """;

    private readonly ProgramKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    private static string Hostile(string name) => Repo.PathOf("tests", "corpus", "syscall", name + ".cs");

    [Fact]
    public void NothingEscapesTheRunLoop_AndTheProgramEndsNormally()
    {
        int exit = -1;
        var escaped = Record.Exception(() => exit = _kernel.Run(Program, Hostile("ThrowsHostileMessage"), Repo.PathOf("extensions", "Examples", "Hostile.cs"), Hostile("Hoarder")));

        Assert.Null(escaped);
        string output = _kernel.Output;
        Assert.Equal(0, exit);
        Assert.Contains("load 1\nload 2\nload 3\n", output);
        Assert.Contains("alive\n", output);
        // Every faulted call keeps the default answer, -ENOSYS (syscall() returns -1); after three faults the domain is
        // gone and nothing answers. The hoarder is revoked at its memory quota (128 MB) long before its 200th call.
        Assert.Contains("thrown -5 spun -5 last -1", output);
        Assert.Equal(["public"], _kernel.Calls!.Manager.Linker.Domains.Select(d => d.Name));
    }
}
