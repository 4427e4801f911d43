using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Isolation;

/// <summary>The isolation tests' C programs (Isolation/programs/NAME.c) and how they are run.</summary>
public static class IsolationProgram
{
    /// <summary>Cross-compiles programs/<paramref name="name"/>.c (cached) and returns the executable's path.</summary>
    public static string Compile(string name) =>
        CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Isolation", "programs", name + ".c"), []);

    /// <summary>Runs <paramref name="exe"/> under `spindle run`; fails the test if it timed out.</summary>
    public static RunResult Run(string exe, IReadOnlyList<string> args)
    {
        var r = SpindleRunner.Instance.Run(exe, args, timeout: TimeSpan.FromSeconds(120));
        Assert.False(r.TimedOut, r.Describe("spindle"));
        return r;
    }

    /// <summary>Fails if stderr shows the kernel itself broke (an internal error or a .NET exception).</summary>
    public static void AssertNoKernelFailure(RunResult r)
    {
        foreach (string sign in new[] { "internal error", "Exception", "   at Spindle." })
            Assert.False(r.Stderr.Contains(sign, StringComparison.Ordinal), $"stderr shows '{sign}'\n{r.Describe("spindle")}");
    }
}
