using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Run;

/// <summary>
/// <c>spindle run -L PREFIX</c> and <c>SPINDLE_LD_PREFIX</c> against qemu-riscv64's <c>-L</c> and <c>QEMU_LD_PREFIX</c>:
/// the same prefix rule (an absolute path that exists under the prefix is that file; a relative path, or an absolute
/// one missing there, is the path as given; a new file is created outside), and a dynamically linked first program
/// that finds its interpreter through it or says where it looked.
/// </summary>
public sealed class LibraryPrefixTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spindle-prefix-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Program(string name, bool dynamic = false) =>
        CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Run", "programs", name + ".c"), [], dynamic);

    [Fact]
    public void ThePrefixRuleIsQemus()
    {
        string prefix = Path.Combine(_dir, "prefix"), real = Path.Combine(_dir, "real");
        string inPrefix = Path.Combine(prefix, real.TrimStart('/'));
        Directory.CreateDirectory(inPrefix);
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, "both"), "real both\n");
        File.WriteAllText(Path.Combine(inPrefix, "both"), "prefix both\n");
        File.WriteAllText(Path.Combine(real, "only-real"), "real only\n");
        File.WriteAllText(Path.Combine(inPrefix, "only-prefix"), "prefix only\n");
        string exe = Program("prefix_paths");

        var qemu = new QemuRunner(["-L", prefix]).Run(exe, [real]);
        File.Delete(Path.Combine(real, "created"));
        var spindle = new SpindleRunner(["-L", prefix]).Run(exe, [real]);

        Assert.True(qemu.ExitCode == 0, qemu.Describe("qemu"));
        Assert.Contains("absolute, in both: prefix both\n", qemu.StdoutText);   // the rule as qemu has it
        Assert.Contains("relative, in both: real both\n", qemu.StdoutText);
        Assert.Equal(qemu.StdoutText, spindle.StdoutText);
        Assert.True(spindle.ExitCode == 0, spindle.Describe("spindle"));
        Assert.True(File.Exists(Path.Combine(real, "created")), "the created file is outside the prefix");
    }

    [Fact]
    public void ADynamicProgramWithoutItsInterpreterIs127AndSaysWhereToGiveIt()
    {
        var r = SpindleRunner.Instance.Run(Program("hello", dynamic: true), []);
        Assert.Equal(127, r.ExitCode);
        Assert.Contains("interpreter /lib/ld-linux-riscv64-lp64d.so.1: No such file or directory (give the directory holding it with -L PREFIX or SPINDLE_LD_PREFIX", r.Stderr);
    }

    [Fact]
    public void TheEnvironmentVariableGivesThePrefixAndTheOptionWins()
    {
        string exe = Program("hello", dynamic: true);
        var byVariable = Run(exe, CrossCompiler.LibraryPrefix);
        Assert.True(byVariable.ExitCode == 0, byVariable.Describe("spindle"));
        Assert.Equal("hello, world\n", byVariable.StdoutText);
        var optionWins = Run(exe, "/nonexistent-prefix", "-L", CrossCompiler.LibraryPrefix);
        Assert.True(optionWins.ExitCode == 0, optionWins.Describe("spindle"));
        var badOption = Run(exe, CrossCompiler.LibraryPrefix, "-L", Path.Combine(_dir, "missing"));
        Assert.Equal(2, badOption.ExitCode);
        Assert.Contains("not a directory", badOption.Stderr);
    }

    // spindle run [options] exe with SPINDLE_LD_PREFIX=variable in the fixed environment.
    private static RunResult Run(string exe, string variable, params string[] options) =>
        ProcessRunner.Run(SpindleRunner.DotnetHost(), [SpindleRunner.Dll, "run", .. options, exe], [],
            [.. ProcessRunner.FixedEnvironment, new("SPINDLE_LD_PREFIX", variable)], TimeSpan.FromSeconds(120));
}
