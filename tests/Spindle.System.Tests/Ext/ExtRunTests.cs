using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Ext;

/// <summary>`spindle run --ext` and the extension system calls, end to end through the CLI.</summary>
public sealed class ExtRunTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("spindle-ext-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private static string Program => CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Ext", "programs", "extcalls.c"));

    private static string Example(string name) => Path.Combine(Repo.Root, "extensions", "Examples", name);

    private static string Hostile => Example("Hostile.cs");

    // spindle run with a private Spindle home (key and compile cache).
    private RunResult Run(IReadOnlyList<string> options, params string[] args)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } h && File.Exists(h) ? h : Tools.Require("dotnet", "the .NET SDK");
        if (!File.Exists(SpindleRunner.Dll)) throw new InvalidOperationException($"spindle CLI not built: {SpindleRunner.Dll} is missing");
        return ProcessRunner.Run(host, [SpindleRunner.Dll, "run", .. options, Program, .. args], [],
            [.. ProcessRunner.FixedEnvironment, new("SPINDLE_HOME", _home)], TimeSpan.FromSeconds(120));
    }

    [Fact]
    public void WithoutTheExtension_1002IsENOSYS()
    {
        var r = Run([], "null");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal("first 1002: -1 Function not implemented\nsecond 1002: -1 Function not implemented\ngetppid ok: 1, write ok\n", r.StdoutText);
    }

    [Fact]
    public void WithNullSyscall_1002AnswersTheCounter_AndOtherCallsAreUnaffected()
    {
        var r = Run(["--ext", Example("NullSyscall.cs")], "null");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal("first 1002: 1 ok\nsecond 1002: 2 ok\ngetppid ok: 1, write ok\n", r.StdoutText);
    }

    [Fact]
    public void AHostileExtension_IsContained_AndTheProgramStillRuns()
    {
        var r = Run(["--ext", Hostile], "null");
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal("first 1002: -1 Function not implemented\nsecond 1002: -1 Function not implemented\ngetppid ok: 1, write ok\n", r.StdoutText);
    }

    [Fact]
    public void AProgramLoadsAndUnloadsAnExtensionForItself()
    {
        var r = Run([], "load", Example("NullSyscall.cs"));
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        Assert.Equal("load: ref\nloaded 1002: 1 ok\nunload: 0\nunloaded 1002: -1 Function not implemented\n" +
                     "unload again: -1 Bad file descriptor\ngetppid ok: 1, write ok\n", r.StdoutText);
    }

    [Fact]
    public void LoadingWhatDoesNotExistOrIsRefused_FailsCleanly()
    {
        var missing = Run([], "load", "/no/such/Ext.cs");
        Assert.True(missing.ExitCode == 0, missing.Describe("spindle"));
        Assert.StartsWith("load: No such file or directory\nloaded 1002: -1", missing.StdoutText);

        string bad = Path.Combine(_home, "Bad.cs");
        File.WriteAllText(bad, "public static class Bad { public static void F() { System.IO.File.Delete(\"/x\"); } }");
        var refused = Run([], "load", bad);
        Assert.True(refused.ExitCode == 0, refused.Describe("spindle"));
        Assert.StartsWith("load: Invalid argument\n", refused.StdoutText);
        Assert.Contains("io", refused.Stderr);
    }

    [Fact]
    public void ABadExtOption_IsAnErrorBeforeTheProgramRuns()
    {
        var r = Run(["--ext", "/no/such/Ext.cs"], "null");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no such file or directory", r.Stderr);
        Assert.Equal("", r.StdoutText);
    }
}
