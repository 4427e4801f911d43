using Spindle.Bench.Suites;
using Spindle.Cli;
using Spindle.Kernel.Boot;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Boot;

/// <summary>
/// <c>spindle run</c>, <c>spindle boot</c> and the bench's guest runner describe their systems and build them with the
/// one <see cref="SystemBuilder"/>: each description, built here with a captured console, runs its program to the
/// output and exit status the command would give.
/// </summary>
public sealed class OneBuilderTests
{
    private static string Args() =>
        CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Run", "programs", "args.c"));

    private static (string Out, int Status) Run(SystemDescription description, CapturedConsole console)
    {
        using var system = SystemBuilder.Build(description with { Console = console });
        int status = system.Run();
        Assert.True(system.HasExited, $"the first process did not exit; stderr: {console.Text(2)}");
        return (console.Text(1), status);
    }

    [Fact]
    public void RunAndTheBenchBuildTheSameSystem()
    {
        string exe = Args();
        string[] args = ["x", "--exit=7"];
        var run = Run(RunCommand.Describe(new RunCommand.Options("/", false, false, exe, args, []), File.ReadAllBytes(exe)), new CapturedConsole());
        var console = new CapturedConsole();
        var bench = Run(GuestRunner.Describe(exe, args, console), console);
        Assert.Equal(("argc=3\n[x]\n[--exit=7]\n", 7), run);
        Assert.Equal(run, bench);
    }

    [Fact]
    public void BootBuildsItsSystemTheSameWay()
    {
        string root = BootRoot.Riscv;
        var description = BootCommand.Describe(root, File.ReadAllBytes(Path.Combine(root, "sbin", "init")), trace: false);
        var boot = Run(description, new CapturedConsole("echo hi | cat\nexit 3\n"u8.ToArray()));
        Assert.Equal(("hi\n", 3), boot);
    }
}
