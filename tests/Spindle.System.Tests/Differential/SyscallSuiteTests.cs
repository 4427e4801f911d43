using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Differential;

/// <summary>
/// The differential system-call suite: each user/tests/syscalls/NAME.c exercises one family of calls (their
/// successes and their errors) and must leave the same bytes in its output file, and exit with the same status,
/// under Spindle as under the oracle: qemu-riscv64, which hands the calls to the real Linux kernel, or, for a
/// program marked <c>//! oracle: native</c> (where qemu-user answers for itself, as for /proc/self/exe), the
/// same source built for the host and run there. Each run gets a fresh directory holding the program as
/// ./prog and stdin.txt; standard input and output are the files stdin.txt and stdout.txt there (so seeking
/// them is tested too). The directory is the working directory of every run and Spindle's --root.
/// </summary>
public class SyscallSuiteTests
{
    private const string StdinText = "abcdefghij\n";

    private static string Folder => Path.Combine(Repo.UserTests, "syscalls");

    /// <summary>Every program of the suite by name.</summary>
    public static TheoryData<string> Programs =>
        new(Directory.GetFiles(Folder, "*.c").Select(p => Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Programs))]
    public void SpindleMatchesTheOracle(string name)
    {
        string source = Path.Combine(Folder, name + ".c");
        string exe = CrossCompiler.Compile(source);
        bool native = File.ReadLines(source).Any(l => l.Trim() == "//! oracle: native");
        var (oracleName, oracle) = native
            ? ("native", RunIn(CrossCompiler.Compile(source, forHost: true), _ => ["./prog"]))
            : ("qemu", RunIn(exe, _ => [Tools.Require("qemu-riscv64", "qemu-user"), "./prog"]));
        Assert.False(oracle.TimedOut, oracle.Describe(oracleName));
        var spindle = RunIn(exe, dir => [SpindleRunner.DotnetHost(), SpindleRunner.Dll, "run", "--root", dir, "./prog"], TimeSpan.FromSeconds(120));
        Assert.False(spindle.TimedOut, spindle.Describe("spindle"));

        string? diff = OutputDiff.FirstDifference(oracle.Stdout, spindle.Stdout);
        Assert.True(diff == null, $"{name}: {diff?.Replace("qemu", oracleName)}\n{spindle.Describe("spindle")}");
        Assert.True(oracle.ExitCode == spindle.ExitCode,
            $"{name}: exit status {oracleName} {oracle.ExitCode}, spindle {spindle.ExitCode}\n{spindle.Describe("spindle")}");
    }

    /// <summary>The oracle side alone: every program finishes with status 0 and a non-empty output under it.</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void ProgramRunsUnderItsOracle(string name)
    {
        string source = Path.Combine(Folder, name + ".c");
        bool native = File.ReadLines(source).Any(l => l.Trim() == "//! oracle: native");
        var r = native
            ? RunIn(CrossCompiler.Compile(source, forHost: true), _ => ["./prog"])
            : RunIn(CrossCompiler.Compile(source), _ => [Tools.Require("qemu-riscv64", "qemu-user"), "./prog"]);
        Assert.True(r.ExitCode == 0 && r.Stdout.Length > 0, r.Describe(name));
    }

    // Runs the command (given the fresh directory) there with stdin.txt and stdout.txt as standard input and
    // output, through /bin/sh; the result's Stdout is stdout.txt's bytes. The directory is removed after.
    private static RunResult RunIn(string exe, Func<string, string[]> command, TimeSpan? timeout = null)
    {
        string dir = Directory.CreateTempSubdirectory("spindle-sc-").FullName;
        try
        {
            File.Copy(exe, Path.Combine(dir, "prog"));
            File.WriteAllText(Path.Combine(dir, "stdin.txt"), StdinText);
            var r = ProcessRunner.Run("/bin/sh", ["-c", "exec \"$@\" < stdin.txt > stdout.txt", "sh", .. command(dir)], [],
                ProcessRunner.FixedEnvironment, timeout ?? TimeSpan.FromSeconds(30), dir);
            string output = Path.Combine(dir, "stdout.txt");
            return r with { Stdout = File.Exists(output) ? File.ReadAllBytes(output) : [] };
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
