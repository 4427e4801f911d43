using Spindle.System.Tests.Differential;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Processes;

/// <summary>
/// One issue-4 process test, user/tests/proc/NAME.c (settings as in <see cref="CorpusProgram"/>). Its oracle is
/// qemu-riscv64, except for a program with a NAME.expected file beside it: qemu-user cannot be the oracle
/// there (it cannot execve a RISC-V program), so the file holds the output of the same source compiled for
/// the host and run natively.
/// </summary>
public sealed record ProcessProgram(CorpusProgram Program, string? ExpectedPath)
{
    /// <summary>The folder of the process tests.</summary>
    public static string Folder => Path.Combine(Repo.UserTests, "proc");

    /// <summary>The names of every program in user/tests/proc, sorted.</summary>
    public static IEnumerable<string> Names() =>
        Directory.GetFiles(Folder, "*.c").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>Loads user/tests/proc/<paramref name="name"/>.c and finds its expected-output file, if any.</summary>
    public static ProcessProgram Load(string name)
    {
        string expected = Path.Combine(Folder, name + ".expected");
        return new ProcessProgram(CorpusProgram.Load(Path.Combine("proc", name)), File.Exists(expected) ? expected : null);
    }

    /// <summary>Cross-compiles the program (cached) and returns the executable's path.</summary>
    public string Compile() => CrossCompiler.Compile(Program.SourcePath, Program.CFlags);

    /// <summary>
    /// The reference result: the expected file's bytes with exit status 0, or a qemu run of
    /// <paramref name="exe"/>. Throws if qemu timed out (a broken test, not a Spindle bug).
    /// </summary>
    public (byte[] Stdout, int ExitCode) Reference(string exe)
    {
        if (ExpectedPath != null) return (File.ReadAllBytes(ExpectedPath), 0);
        var qemu = QemuRunner.Instance.Run(exe, Program.Args, Program.Stdin, TimeSpan.FromSeconds(30));
        if (qemu.TimedOut) throw new InvalidOperationException(qemu.Describe("qemu"));
        return (qemu.Stdout, qemu.ExitCode);
    }
}
