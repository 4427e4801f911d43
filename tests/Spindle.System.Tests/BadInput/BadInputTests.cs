using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.BadInput;

/// <summary>
/// Spindle refuses bad programs cleanly: a malformed or foreign executable exits 126 with a one-line
/// `spindle: ` message and no .NET stack trace; a program that faults dies with status 139 exactly as it
/// does under qemu.
/// </summary>
public class BadInputTests
{
    public static TheoryData<string> MalformedCases => new(MalformedElf.Names);

    public static TheoryData<string> FaultingPrograms =>
        new(Directory.GetFiles(Path.Combine(Repo.UserTests, "faults"), "*.c").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void MalformedElfExits126WithAMessage(string name)
    {
        string path = MalformedElf.Path(name);
        var r = SpindleRunner.Instance.Run(path, ["arg"], timeout: TimeSpan.FromSeconds(60));
        AssertCleanRefusal(r, name);
        Assert.True(r.ExitCode == 126, $"{name}: exit {r.ExitCode}, want 126\n{r.Stderr}");
        Assert.Contains(path, r.Stderr);
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void QemuRefusesTheSameFile(string name)
    {
        // Validates the corpus: every case is broken for the reference too, so none is accepted by accident.
        var r = QemuRunner.Instance.Run(MalformedElf.Path(name), ["arg"]);
        Assert.False(r.TimedOut, r.Describe("qemu"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.NotEqual("hello\n", r.StdoutText);
    }

    [Fact]
    public void MissingProgramIsRefusedWithAMessage()
    {
        var r = SpindleRunner.Instance.Run("/nonexistent/program", []);
        AssertCleanRefusal(r, "missing");
        Assert.NotEqual(0, r.ExitCode);
    }

    [Fact]
    public void TheGoodProgramRuns()
    {
        // The control for the malformed cases: the unbroken file they are made from runs.
        string path = MalformedElf.GoodPath();
        var r = SpindleRunner.Instance.Run(path, []);
        Assert.Equal("hello\n", r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }

    [Theory]
    [MemberData(nameof(FaultingPrograms))]
    public void FaultingProgramDiesLikeUnderQemu(string name)
    {
        string exe = CrossCompiler.Compile(Path.Combine(Repo.UserTests, "faults", name + ".c"));
        var qemu = QemuRunner.Instance.Run(exe, []);
        Assert.Equal(139, qemu.ExitCode);
        var spindle = SpindleRunner.Instance.Run(exe, [], timeout: TimeSpan.FromSeconds(60));
        Assert.False(spindle.TimedOut, spindle.Describe("spindle"));
        Assert.Equal(qemu.StdoutText, spindle.StdoutText);
        Assert.True(spindle.ExitCode == 139, spindle.Describe("spindle"));
        Assert.DoesNotContain("   at ", spindle.Stderr);
    }

    // Asserts that stderr is a `spindle: ` message and holds no .NET exception or stack trace.
    private static void AssertCleanRefusal(RunResult r, string name)
    {
        Assert.False(r.TimedOut, r.Describe(name));
        Assert.True(r.Stderr.StartsWith("spindle: ", StringComparison.Ordinal), $"{name}: stderr is not a spindle message:\n{r.Stderr}");
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Unhandled exception", r.Stderr);
        Assert.DoesNotContain("Exception:", r.Stderr);
    }
}
