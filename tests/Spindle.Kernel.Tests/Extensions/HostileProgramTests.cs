using Spindle.Kernel.Tests.Containment;

namespace Spindle.Kernel.Tests.Extensions;

/// <summary>
/// A user program hands the kernel hostile extensions from the corpus through spindle_ext_load (system call
/// 1000): one whose Initialize throws an exception whose Message throws, one whose static constructor loops
/// where the meter cannot see, one with a 200,000-deep guard. Each load must fail with -EINVAL, and the kernel
/// must run the program to its end ("alive", exit 0).
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class HostileProgramTests : IDisposable
{
    private const string Source = """
        #include <errno.h>
        #include <stdio.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        int main(int argc, char **argv)
        {
            for (int i = 1; i < argc; i++) { long r = syscall(1000, argv[i]); printf("%ld\n", r < 0 ? -errno : r); }
            printf("alive\n");
            return 0;
        }
        """;

    private static readonly string[] Cases = ["c1_init_message_throws.cs", "c3_cctor_hashset_spin.cs", "c2_guard_deep_andalso.cs"];

    private readonly ProgramKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    [Fact]
    public void HostileLoadsFailAndTheProgramRunsToItsEnd()
    {
        string[] paths = Cases.Select(c => HostileCase.Named(c).Path).ToArray();
        int exit = -1;
        // Domains are named after the file, numbered by the manager: release every number a load could take.
        string[] domains = Cases.SelectMany(c => Enumerable.Range(1, Cases.Length).Select(n => $"{Path.GetFileNameWithoutExtension(c)}#{n}")).ToArray();
        Bounded.Run("hostile program", () => exit = Run(paths), domains);
        string output = _kernel.Output;
        Assert.True(exit == 0 && output == "-22\n-22\n-22\nalive\n",
            $"exit {exit}, kernel error {(_kernel.KernelError is null ? "none" : Bounded.Describe(_kernel.KernelError))}, output:\n{output}\nkernel log:\n{_kernel.Log}");
    }

    // Runs the program with the extension paths as arguments to its end; returns its exit code.
    private int Run(string[] paths)
    {
        try { return _kernel.Run(Source, paths); }
        catch (Exception e) { throw new Xunit.Sdk.XunitException($"the kernel stopped: {Bounded.Describe(e)}"); }
    }
}
