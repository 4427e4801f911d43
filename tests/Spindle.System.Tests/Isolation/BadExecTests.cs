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
}
