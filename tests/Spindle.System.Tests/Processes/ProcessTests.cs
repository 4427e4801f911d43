using Spindle.System.Tests.Differential;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Processes;

/// <summary>
/// Issue 4's process, signal, memory and thread programs (user/tests/proc): each must print the same bytes
/// and exit with the same status under Spindle as its reference (qemu, or a natively produced expected file).
/// Every program checks itself, so the reference is also validated on its own.
/// </summary>
public class ProcessTests
{
    /// <summary>Every process test by name.</summary>
    public static TheoryData<string> Programs => new(ProcessProgram.Names());

    [Theory]
    [MemberData(nameof(Programs))]
    public void SpindleMatchesReference(string name) => MatchesReference(name, SpindleRunner.Instance);

    /// <summary>The second pass, with the compiling engine forced on from the first instruction.</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void SpindleWithTheCompilerForcedMatchesReference(string name) => MatchesReference(name, SpindleRunner.ForcedCompiler);

    private static void MatchesReference(string name, SpindleRunner runner)
    {
        var p = ProcessProgram.Load(name);
        string exe = p.Compile();
        var (want, wantExit) = p.Reference(exe);
        var spindle = runner.Run(exe, p.Program.Args, p.Program.Stdin, TimeSpan.FromSeconds(120));
        Assert.False(spindle.TimedOut, spindle.Describe("spindle"));
        string? diff = OutputDiff.FirstDifference(want, spindle.Stdout);
        Assert.True(diff == null, $"{name}: {diff}\n{spindle.Describe("spindle")}");
        Assert.True(wantExit == spindle.ExitCode,
            $"{name}: exit status reference {wantExit}, spindle {spindle.ExitCode}\n{spindle.Describe("spindle")}");
    }

    /// <summary>The reference alone passes the program's own checks, so a broken test is never blamed on Spindle.</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void ReferencePassesItsOwnChecks(string name)
    {
        var p = ProcessProgram.Load(name);
        var (stdout, exit) = p.Reference(p.Compile());
        string text = global::System.Text.Encoding.UTF8.GetString(stdout);
        Assert.DoesNotContain("FAIL", text);
        Assert.EndsWith($"{name}: 0 failures\n", text);
        Assert.Equal(0, exit);
    }

    /// <summary>The expected files are what the host makes of the same sources: regenerates each with the host
    /// compiler and compares, so an edited program cannot silently keep a stale expected file.</summary>
    [Fact]
    public void ExpectedFilesMatchNativeRuns()
    {
        string gcc = Tools.Require("gcc", "gcc (the host compiler)");
        foreach (string name in ProcessProgram.Names())
        {
            var p = ProcessProgram.Load(name);
            if (p.ExpectedPath == null) continue;
            string exe = Path.Combine(Repo.Cache, "native", name);
            Directory.CreateDirectory(Path.GetDirectoryName(exe)!);
            var cc = ProcessRunner.Run(gcc, [p.Program.SourcePath, "-O2", "-o", exe, .. p.Program.CFlags], [], null, TimeSpan.FromMinutes(1));
            Assert.True(cc.ExitCode == 0, cc.Stderr);
            var run = ProcessRunner.Run(exe, p.Program.Args, p.Program.Stdin, ProcessRunner.FixedEnvironment, TimeSpan.FromSeconds(30));
            Assert.Null(OutputDiff.FirstDifference(File.ReadAllBytes(p.ExpectedPath), run.Stdout));
        }
    }
}
