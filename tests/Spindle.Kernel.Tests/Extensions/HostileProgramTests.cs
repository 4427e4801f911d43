using System.Text;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Services;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Tests.Containment;
using Spindle.Kernel.Tests.Linux;
using Spindle.Kernel.Tests.Loader;

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

    private readonly TestHome _home = new();
    private readonly KernelRoot _kernel = new(new KernelOptions(MemoryBytes: 64UL << 20, FirstStrandId: 100));
    private readonly FakeConsole _console = new();
    private readonly StringWriter _log = new();   // the kernel's reasons for refused loads
    private Exception? _error;                      // what made the kernel abort the program, if anything

    public void Dispose()
    {
        _kernel.Dispose();
        _home.Dispose();
    }

    [CrashingFact]
    public void HostileLoadsFailAndTheProgramRunsToItsEnd()
    {
        string[] paths = Cases.Select(c => HostileCase.Named(c).Path).ToArray();
        int exit = -1;
        // Domains are named after the file, numbered by the manager: release every number a load could take.
        string[] domains = Cases.SelectMany(c => Enumerable.Range(1, Cases.Length).Select(n => $"{Path.GetFileNameWithoutExtension(c)}#{n}")).ToArray();
        Bounded.Run("hostile program", () => exit = Run(paths), domains);
        string output = Encoding.UTF8.GetString(_console.Out.ToArray());
        Assert.True(exit == 0 && output == "-22\n-22\n-22\nalive\n",
            $"exit {exit}, kernel error {(_error is null ? "none" : Bounded.Describe(_error))}, output:\n{output}\nkernel log:\n{_log}");
    }

    // Runs the program with the extension paths as arguments to its end; returns its exit code.
    private int Run(string[] paths)
    {
        string program = Toolchain.Compile(Source, "-static", "-O2");
        var strand = _kernel.StartProgram(File.ReadAllBytes(program), program, [program, .. paths], [], out var image);
        var personality = new LinuxPersonality(new LinuxServices(new HostFileSystem("/"), _console, new HostClock(), new HostEntropy()));
        var owner = new KernelOwner("linux");
        personality.Attach(_kernel.DispatcherFor(owner), _kernel.Traps, _kernel.StrandsFor(owner));
        var process = personality.CreateProcess(new ProcessIdentity(100, 1, 0, 0), program, "/", image.BrkStart, image.MapBase, image.MapLimit);
        personality.AdoptStrand(strand, process);
        KernelExtensions.Start(_kernel, _home.Path, [], TextWriter.Synchronized(_log));
        try { _kernel.Run(() => process.HasExited); }
        catch (Exception e) { throw new Xunit.Sdk.XunitException($"the kernel stopped: {Bounded.Describe(e)}"); }
        _error = strand.KernelError;
        return process.ExitCode;
    }
}

/// <summary>A fact skipped while SPINDLE_SKIP_CRASHING=1: it loads a corpus case marked '// crashes-host'. By default it runs.</summary>
public sealed class CrashingFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="CrashingTheoryAttribute.Variable"/> is 1.</summary>
    public CrashingFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(CrashingTheoryAttribute.Variable) == "1")
            Skip = $"{CrashingTheoryAttribute.Variable}=1: the program loads c2_guard_deep_andalso.cs (marked '// crashes-host'), "
                + "whose guard overflows the kernel's stack once the loads before it are contained";
    }
}
