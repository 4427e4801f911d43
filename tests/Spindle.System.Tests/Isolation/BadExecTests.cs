using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Isolation;

/// <summary>
/// execve of malformed executables from a running program (programs/iso_badexec.c): a text file with +x and
/// truncated copies of a real binary each fail with ENOEXEC, and the caller carries on and exits 0.
/// </summary>
public sealed class BadExecTests
{
    [Fact]
    public void MalformedExecutablesAnswerEnoexecAndTheCallerContinues()
    {
        var r = IsolationProgram.Run(IsolationProgram.Compile("iso_badexec"), []);
        Assert.Equal(
            "text: execve returned -1, errno ENOEXEC\n" +
            "elf-header-cut: execve returned -1, errno ENOEXEC\n" +
            "program-headers-cut: execve returned -1, errno ENOEXEC\n" +
            "half: execve returned -1, errno ENOEXEC\n" +
            "still running after bad execve: yes\n", r.StdoutText);
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        IsolationProgram.AssertNoKernelFailure(r);
    }

    /// <summary>
    /// execve of dynamically linked programs with bad interpreters (programs/iso_badinterp.c) answers what Linux's
    /// load_elf_binary answers: ENOENT (missing, empty path), EACCES (a directory), ELIBBAD (not ELF, another machine),
    /// EIO (shorter than an ELF header; PT_INTERP past the end of the file), ENOEXEC (PT_INTERP not NUL-terminated, longer
    /// than PATH_MAX, one byte). The caller carries on, then execs a good dynamic program, which runs.
    /// </summary>
    [Fact]
    public void BadInterpretersAnswerLinuxsErrnosAndAGoodOneRuns()
    {
        string template = CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Isolation", "programs", "iso_dynhello.c"),
            [], dynamic: true);
        var r = SpindleRunner.DynamicallyLinked.Run(IsolationProgram.Compile("iso_badinterp"), [template], timeout: TimeSpan.FromSeconds(120));
        Assert.False(r.TimedOut, r.Describe("spindle"));
        Assert.Equal(
            "missing: execve returned -1, errno ENOENT\n" +
            "directory: execve returned -1, errno EACCES\n" +
            "empty-path: execve returned -1, errno ENOENT\n" +
            "not-elf: execve returned -1, errno ELIBBAD\n" +
            "short: execve returned -1, errno EIO\n" +
            "host-machine: execve returned -1, errno ELIBBAD\n" +
            "unterminated: execve returned -1, errno ENOEXEC\n" +
            "too-long: execve returned -1, errno ENOEXEC\n" +
            "one-byte: execve returned -1, errno ENOEXEC\n" +
            "beyond-file: execve returned -1, errno EIO\n" +
            "still running after bad interpreters: yes\n" +
            $"dynamic program ran with 2 arguments: {template} good\n" +
            "AT_BASE set: yes, AT_ENTRY set: yes\n", r.StdoutText);
        Assert.True(r.ExitCode == 0, r.Describe("spindle"));
        IsolationProgram.AssertNoKernelFailure(r);
    }
}
