using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Run;

/// <summary>`spindle run` end to end: C programs cross-compiled at test time and run through the CLI.</summary>
public sealed class RunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("spindle-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Program(string name) =>
        CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Run", "programs", name + ".c"));

    private static RunResult Spindle(IReadOnlyList<string> options, string name, params string[] args) =>
        new SpindleRunner(options).Run(Program(name), args);

    [Fact]
    public void HelloWorld()
    {
        var r = Spindle([], "hello");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal("hello, world\n", r.StdoutText);
    }

    [Fact]
    public void ArgumentsPassThroughUntouchedIncludingDashes()
    {
        var r = Spindle([], "args", "-x", "--stats", "two words", "", "--exit=0");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal("argc=6\n[-x]\n[--stats]\n[two words]\n[]\n[--exit=0]\n", r.StdoutText);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(255)]
    public void ExitStatusPropagates(int status)
    {
        var r = Spindle([], "args", $"--exit={status}");
        Assert.Equal(status, r.ExitCode);
    }

    [Fact]
    public void FileIoStaysUnderTheRoot()
    {
        File.WriteAllText(Path.Combine(_root, "in.txt"), "from the host\n");
        var r = Spindle(["--root", _root], "files");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal(
            "read 21: written by the guest\nsize 21 regular 1\nhost file: from the host\n" +
            "entry file0\nentry file1\nentry file2\nrmdir 0\nmissing: -1 No such file or directory\nescape: 0\n",
            r.StdoutText);
        Assert.Equal("written by the guest\n", File.ReadAllText(Path.Combine(_root, "out.txt")));
        Assert.False(Directory.Exists(Path.Combine(_root, "d")));
    }

    [Theory]
    [InlineData("jump", 139, "SIGSEGV")]
    [InlineData("store", 139, "SIGSEGV")]
    [InlineData("ebreak", 133, "SIGTRAP")]
    public void FaultsKillWithTheSignal(string how, int status, string signal)
    {
        var r = Spindle([], "faults", how);
        Assert.True(r.ExitCode == status, r.Describe("spindle"));
        Assert.Equal("before the fault\n", r.StdoutText); // buffered output is flushed before dying
        Assert.Contains(signal, r.Stderr);
        Assert.Contains("pc 0x", r.Stderr);
        Assert.DoesNotContain("Unhandled", r.Stderr);
    }

    [Fact]
    public void UnknownSyscallIsEnosysToTheProgram()
    {
        var r = Spindle([], "syscalls");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal(
            "syscall(999) = -1 errno 38 (Function not implemented)\nopen = -1 errno 2\nwrite to bad fd = -1 errno 9\nisatty(1) = 0\n",
            r.StdoutText);
    }

    [Fact]
    public void TraceSyscallsPrintsStraceLines()
    {
        var r = Spindle(["--trace-syscalls"], "syscalls");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Contains("openat(AT_FDCWD, \"/no/such/file\", O_RDONLY) = -1 ENOENT (No such file or directory)\n", r.Stderr);
        Assert.Contains("syscall_999(", r.Stderr);
        Assert.Contains("write(55, \"x\", 1) = -1 EBADF (Bad file descriptor)\n", r.Stderr);
        Assert.Matches(@"ioctl\(1, TCGETS, 0x[0-9a-f]+\) = -1 ENOTTY \(Inappropriate ioctl for device\)\n", r.Stderr);
        Assert.Contains("newfstatat(1, \"\", 0x", r.Stderr);
        Assert.Contains(", AT_EMPTY_PATH) = 0\n", r.Stderr);
        Assert.Contains("exit_group(0) = ?\n", r.Stderr);
        Assert.Contains("write(1, \"syscall(999) = -1 errno 38 (Func\"..., ", r.Stderr);
    }

    [Fact]
    public void StatsLineAtExit()
    {
        var r = Spindle(["--engine", "interp", "--stats"], "hello");
        Assert.Matches(@"^spindle: \d+ instructions, \d+\.\d{3} seconds, \d+\.\d MIPS\n$", r.Stderr);
    }

    [Fact]
    public void EngineOptionRunsTheCompilerAndStatsSayWhatItCompiled()
    {
        var r = Spindle(["--engine", "jit-forced", "--stats"], "hello");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal("hello, world\n", r.StdoutText);
        var m = global::System.Text.RegularExpressions.Regex.Match(r.Stderr,
            @"\nspindle: engine jit-forced: (\d+) regions compiled in \d+\.\d{3} seconds, (\d+) instructions in compiled code, \d+ entries from the interpreter, \d+ region runs\n$");
        Assert.True(m.Success, r.Stderr);
        Assert.True(long.Parse(m.Groups[1].Value) > 0 && long.Parse(m.Groups[2].Value) > 0, r.Stderr);

        var bad = Spindle(["--engine", "no-such-engine"], "hello");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("no engine 'no-such-engine'", bad.Stderr);
    }

    [Fact]
    public void MissingProgramIs127()
    {
        var r = SpindleRunner.RunCli(["run", Path.Combine(_root, "does-not-exist")]);
        Assert.Equal(127, r.ExitCode);
        Assert.Contains("No such file or directory", r.Stderr);
    }

    [Fact]
    public void MalformedElfIs126()
    {
        string bad = Path.Combine(_root, "bad");
        File.WriteAllBytes(bad, [0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3]);
        var r = SpindleRunner.RunCli(["run", bad]);
        Assert.Equal(126, r.ExitCode);
        Assert.StartsWith($"spindle: {bad}: ", r.Stderr);
    }
}
