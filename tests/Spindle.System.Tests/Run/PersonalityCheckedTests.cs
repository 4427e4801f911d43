using System.Reflection;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Run;

/// <summary>
/// The Linux personality is an extension like any other: `spindle run` compiles extensions/Linux with the
/// trusted compiler (once; later starts take the signed image from the cache under the Spindle home), loads
/// it into its own domain, and reaches it only through IPersonality. The CLI does not link it.
/// </summary>
public sealed class PersonalityCheckedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spindle-checked-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Hello() =>
        CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Run", "programs", "hello.c"));

    // `spindle run PROGRAM` with the fixed environment plus `extra` (SPINDLE_HOME, SPINDLE_EXTENSIONS).
    private static RunResult Run(string program, params KeyValuePair<string, string>[] extra)
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        string dotnet = host != null && File.Exists(host) ? host : Tools.Require("dotnet", "the .NET SDK");
        return ProcessRunner.Run(dotnet, [SpindleRunner.Dll, "run", program], [],
            [.. ProcessRunner.FixedEnvironment, .. extra], TimeSpan.FromSeconds(180));
    }

    private static KeyValuePair<string, string> Env(string name, string value) => new(name, value);

    // The compile cache's files under `home` with their last write times.
    private static Dictionary<string, DateTime> CacheFiles(string home) =>
        Directory.Exists(home)
            ? Directory.EnumerateFiles(home, "*.dll", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc)
            : [];

    [Fact]
    public void Run_CompilesThePersonalityOnce_ThenStartsFromTheCache()
    {
        string home = Path.Combine(_dir, "home"), hello = Hello();
        var cold = Run(hello, Env("SPINDLE_HOME", home));
        Assert.True(cold.ExitCode == 0, cold.Describe("spindle (cold)"));
        Assert.Equal("hello, world\n", cold.StdoutText);
        var cached = CacheFiles(home);
        Assert.Single(cached);

        var warm = Run(hello, Env("SPINDLE_HOME", home));
        Assert.True(warm.ExitCode == 0, warm.Describe("spindle (warm)"));
        Assert.Equal("hello, world\n", warm.StdoutText);
        Assert.Equal(cached, CacheFiles(home));   // same image, not rewritten: the compiler did not run
    }

    [Fact]
    public void Run_WithoutThePersonalitySources_FailsClearly()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "none")).FullName;
        var r = Run(Hello(), Env("SPINDLE_HOME", Path.Combine(_dir, "home")), Env("SPINDLE_EXTENSIONS", empty));
        Assert.Equal(1, r.ExitCode);
        Assert.Empty(r.Stdout);
        Assert.Contains("Linux personality", r.Stderr);
        Assert.Contains("SPINDLE_EXTENSIONS", r.Stderr);
    }

    [Fact]
    public void Run_APersonalityThatBreaksThePolicy_IsRefusedByTheChecker()
    {
        // A copy of extensions/Linux plus one file naming the host file API: no back door around the checker.
        string root = Path.Combine(_dir, "exts"), linux = Path.Combine(root, "Linux");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "extensions", "Linux"), "*.cs", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(Path.Combine(Repo.Root, "extensions", "Linux"), file);
            if (rel.StartsWith("obj", StringComparison.Ordinal) || rel.StartsWith("bin", StringComparison.Ordinal)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(linux, rel))!);
            File.Copy(file, Path.Combine(linux, rel));
        }
        File.WriteAllText(Path.Combine(linux, "BackDoor.cs"),
            "namespace Spindle.Extensions.Linux;\ninternal static class BackDoor { public static string Read() => System.IO.File.ReadAllText(\"/etc/passwd\"); }\n");

        var r = Run(Hello(), Env("SPINDLE_HOME", Path.Combine(_dir, "home")), Env("SPINDLE_EXTENSIONS", root));
        Assert.Equal(1, r.ExitCode);
        Assert.Empty(r.Stdout);
        Assert.Contains("refused", r.Stderr);
        Assert.Contains("BackDoor.cs", r.Stderr);
    }

    [Fact]
    public void Cli_DoesNotLinkThePersonality()
    {
        var references = Assembly.LoadFrom(SpindleRunner.Dll).GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("Spindle.Kernel", references);
        Assert.DoesNotContain("Spindle.Extensions.Linux", references);
    }
}
