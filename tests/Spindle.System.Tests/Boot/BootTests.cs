using global::System.Text.RegularExpressions;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Boot;

/// <summary>
/// <c>spindle boot</c>: the kernel starts /sbin/init from an in-memory root built from the userland folder;
/// init starts /bin/sh on the console, and the boot ends with init's status when the shell exits.
/// </summary>
public class BootTests
{
    [Fact]
    public void ScriptOnTheConsoleListsBinAndRunsAPipeline()
    {
        string root = BootRoot.Riscv;
        var r = SpindleRunner.RunCli(["boot", "--root-folder", root], "ls /bin\necho hi | cat\nexit\n"u8.ToArray(),
            TimeSpan.FromSeconds(180));
        Assert.False(r.TimedOut, r.Describe("spindle boot"));
        var bin = Directory.GetFiles(Path.Combine(root, "bin")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(string.Join("", bin.Select(n => n + "\n")) + "hi\n", r.StdoutText);
        Assert.True(r.ExitCode == 0, r.Describe("spindle boot"));
    }

    /// <summary>The boot root carries the cross libc's loader and libraries in /lib: /bin/hello-dynamic (the demo linked
    /// dynamically) runs from the shell with no prefix, and prints what the same file prints under qemu-riscv64 -L.</summary>
    [Fact]
    public void ADynamicallyLinkedProgramRunsInTheBootedRoot()
    {
        string root = BootRoot.Riscv, exe = Path.Combine(root, "bin", "hello-dynamic");
        var r = SpindleRunner.RunCli(["boot", "--root-folder", root], "/bin/hello-dynamic one two\necho status $?\nexit\n"u8.ToArray(),
            TimeSpan.FromSeconds(180));
        Assert.False(r.TimedOut, r.Describe("spindle boot"));
        var qemu = QemuRunner.DynamicallyLinked.Run(exe, ["one", "two"]);
        string[] expected = qemu.StdoutText.Split('\n').Where(l => l.StartsWith("  argv") || l.StartsWith("sorted") || l.StartsWith("pi")).ToArray();
        Assert.Equal(4, expected.Length);
        foreach (string line in expected) Assert.Contains(line + "\n", r.StdoutText);
        Assert.StartsWith("hello from /bin/hello-dynamic on Linux (riscv64)\n", r.StdoutText);
        Assert.EndsWith("status 0\n", r.StdoutText);
    }

    [Fact]
    public void WithoutRootFolderTheUserlandIsBuiltFromTheSourceTree()
    {
        var r = SpindleRunner.RunCli(["boot"], "echo built\n"u8.ToArray(), TimeSpan.FromSeconds(300));
        Assert.False(r.TimedOut, r.Describe("spindle boot"));
        Assert.Equal("built\n", r.StdoutText);
        Assert.True(r.ExitCode == 0, r.Describe("spindle boot"));
    }

    [Fact]
    public void WritesStayInTheMemoryRoot()
    {
        string root = BootRoot.Riscv;
        string name = $"boot-test-{Guid.NewGuid():N}";
        var r = SpindleRunner.RunCli(["boot", "--root-folder", root],
            global::System.Text.Encoding.UTF8.GetBytes($"echo a > /tmp/{name}\necho b >> /tmp/{name}\ncat < /tmp/{name} | cat | cat\nls /tmp\n"),
            TimeSpan.FromSeconds(180));
        Assert.False(r.TimedOut, r.Describe("spindle boot"));
        var tmp = Directory.GetFileSystemEntries(Path.Combine(root, "tmp")).Select(Path.GetFileName).Append(name).Order(StringComparer.Ordinal);
        Assert.Equal("a\nb\n" + string.Join("", tmp.Select(n => n + "\n")), r.StdoutText);
        Assert.False(File.Exists(Path.Combine(root, "tmp", name)), "a write inside the machine reached the host folder");
    }

    [Fact]
    public void ExitStatusOfTheShellEndsTheBoot()
    {
        var r = SpindleRunner.RunCli(["boot", "--root-folder", BootRoot.Riscv], "false\nexit 5\n"u8.ToArray(),
            TimeSpan.FromSeconds(180));
        Assert.False(r.TimedOut, r.Describe("spindle boot"));
        Assert.True(r.ExitCode == 5, r.Describe("spindle boot"));
    }

    [Fact]
    public void EndOfInputEndsTheShellWithTheLastStatus()
    {
        var r = SpindleRunner.RunCli(["boot", "--root-folder", BootRoot.Riscv], "echo one\nfalse\n"u8.ToArray(),
            TimeSpan.FromSeconds(180));
        Assert.False(r.TimedOut, r.Describe("spindle boot"));
        Assert.Equal("one\n", r.StdoutText);
        Assert.True(r.ExitCode == 1, r.Describe("spindle boot"));
    }

    [Fact]
    public void ExtloadLoadsAndUnloadsAnExtensionFromTheShell()
    {
        string ext = Path.Combine(Repo.Root, "extensions", "Examples", "NullSyscall.cs");
        string home = Directory.CreateTempSubdirectory("spindle-home-").FullName;
        try
        {
            string script = $"extload {ext}\necho st=$?\nextload /no/such/extension.cs\necho st=$?\n";
            var r = ProcessRunner.Run(DotnetHost(), [SpindleRunner.Dll, "boot", "--root-folder", BootRoot.Riscv],
                global::System.Text.Encoding.UTF8.GetBytes(script),
                [.. ProcessRunner.FixedEnvironment, new("SPINDLE_HOME", home)], TimeSpan.FromSeconds(180));
            Assert.False(r.TimedOut, r.Describe("spindle boot"));
            var m = Regex.Match(r.StdoutText, $"^loaded {Regex.Escape(ext)}: handle (\\d+)\n");
            Assert.True(m.Success, r.StdoutText + r.Describe("spindle boot"));
            Assert.Equal($"{m.Value}unloaded handle {m.Groups[1].Value}\nst=0\nst=1\n", r.StdoutText);
            Assert.Contains("extload: /no/such/extension.cs: No such file or directory", r.Stderr);
        }
        finally { Directory.Delete(home, recursive: true); }
    }

    // The dotnet host running these tests.
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return host != null && File.Exists(host) ? host : Tools.Require("dotnet", "the .NET SDK");
    }

    [Fact]
    public void MissingRootFolderIsAClearError()
    {
        var r = SpindleRunner.RunCli(["boot", "--root-folder", "/no/such/folder"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/no/such/folder", r.Stderr);
    }

    [Fact]
    public void RootFolderWithoutInitIsAClearError()
    {
        string empty = Directory.CreateTempSubdirectory("spindle-noinit-").FullName;
        try
        {
            var r = SpindleRunner.RunCli(["boot", "--root-folder", empty]);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("sbin/init", r.Stderr);
        }
        finally { Directory.Delete(empty, recursive: true); }
    }

    [Fact]
    public void InitThatIsNotAProgramIsAClearError()
    {
        string dir = Directory.CreateTempSubdirectory("spindle-badinit-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "sbin"));
            File.WriteAllText(Path.Combine(dir, "sbin", "init"), "#!/bin/sh\necho not an ELF\n");
            var r = SpindleRunner.RunCli(["boot", "--root-folder", dir]);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("spindle boot: /sbin/init:", r.Stderr);
            Assert.Equal("", r.StdoutText);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void UnknownOptionIsAClearError()
    {
        var r = SpindleRunner.RunCli(["boot", "--frobnicate"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--frobnicate", r.Stderr);
    }
}
