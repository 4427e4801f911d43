using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Differential;

/// <summary>
/// The differential corpus: every user/tests/*.c program must print the same bytes and exit with the same
/// status under Spindle as under qemu-riscv64, with the same argv, stdin and fixed environment; linked statically
/// (under both engines) and dynamically.
/// </summary>
public class CorpusTests
{
    /// <summary>Every corpus program by name.</summary>
    public static TheoryData<string> Programs => new(CorpusProgram.Names());

    [Theory]
    [MemberData(nameof(Programs))]
    public void SpindleMatchesQemu(string name) => MatchesQemu(name, SpindleRunner.InterpreterOnly);

    /// <summary>The second pass: the same programs with the compiling engine forced on for all code from the first
    /// instruction (<c>--engine jit-forced</c>).</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void SpindleWithTheCompilerForcedMatchesQemu(string name) => MatchesQemu(name, SpindleRunner.ForcedCompiler);

    /// <summary>The third pass: the same programs linked dynamically (no <c>-static</c>): the cross libc's dynamic loader
    /// and libc.so.6, found under the library prefix, against <c>qemu-riscv64 -L</c> with the same prefix.</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void DynamicallyLinkedSpindleMatchesQemu(string name) => MatchesQemu(name, SpindleRunner.DynamicallyLinked, dynamic: true);

    private static void MatchesQemu(string name, SpindleRunner runner, bool dynamic = false)
    {
        var p = CorpusProgram.Load(name);
        string exe = CrossCompiler.Compile(p.SourcePath, p.CFlags, dynamic);
        var qemu = (dynamic ? QemuRunner.DynamicallyLinked : QemuRunner.Instance).Run(exe, p.Args, p.Stdin, TimeSpan.FromSeconds(20));
        Assert.False(qemu.TimedOut, qemu.Describe("qemu"));
        var spindle = runner.Run(exe, p.Args, p.Stdin, TimeSpan.FromSeconds(120));
        Assert.False(spindle.TimedOut, spindle.Describe("spindle"));

        string? diff = OutputDiff.FirstDifference(qemu.Stdout, spindle.Stdout);
        Assert.True(diff == null, $"{name}: {diff}\n{spindle.Describe("spindle")}");
        Assert.True(qemu.ExitCode == spindle.ExitCode,
            $"{name}: exit status qemu {qemu.ExitCode}, spindle {spindle.ExitCode}\n{spindle.Describe("spindle")}");
    }

    /// <summary>The oracle side alone: each program passes its own checks under qemu (exit 0, or 42 for
    /// exit_status). This catches a broken corpus program before it is blamed on Spindle.</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void ProgramPassesItsOwnChecksUnderQemu(string name)
    {
        var p = CorpusProgram.Load(name);
        string exe = CrossCompiler.Compile(p.SourcePath, p.CFlags);
        var qemu = QemuRunner.Instance.Run(exe, p.Args, p.Stdin, TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("FAIL", qemu.StdoutText);
        Assert.Equal(name == "exit_status" ? 42 : 0, qemu.ExitCode);
    }
}
