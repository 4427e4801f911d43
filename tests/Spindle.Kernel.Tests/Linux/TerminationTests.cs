using System.Text.RegularExpressions;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Signals;
using Spindle.Kernel.Tests.Extensions;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>
/// Unix out of the trusted core: the kernel reports a strand's end in its own terms (StrandEnd), the personality
/// turns it into a wait status, the shell's 128+N and a signal name, and the kernel and the command line's code
/// name no signal.
/// </summary>
public class TerminationTests
{
    [Fact]
    public void TheKernelsEndsBecomeUnixWaitStatuses()
    {
        Assert.Equal(3 << 8, Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Exited, 3)));
        Assert.Equal(0xff << 8, Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Exited, 0x1ff)));
        Assert.Equal(LinuxAbi.SIGTERM, Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Killed, LinuxAbi.SIGTERM)));
        Assert.Equal(LinuxAbi.SIGSEGV, Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Faulted, 0, FaultKind.PageFault)));
        Assert.Equal(LinuxAbi.SIGILL, Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Faulted, 0, FaultKind.IllegalInstruction)));
        Assert.Equal(LinuxAbi.SIGTRAP, Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Faulted, 0, FaultKind.Breakpoint)));
        Assert.Equal(LinuxAbi.SIGBUS, Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Faulted, 0, FaultKind.Misaligned)));
        Assert.Equal(LinuxAbi.SIGABRT, Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Aborted)));
        Assert.Equal(0, Termination.WaitStatusOf(default));
    }

    [Fact]
    public void TheShellSeesTheExitCodeOr128PlusTheSignal_AndAName()
    {
        Assert.Equal(3, Termination.ShellStatus(3 << 8));
        Assert.Equal(139, Termination.ShellStatus(Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Faulted, 0, FaultKind.PageFault))));
        Assert.Equal(134, Termination.ShellStatus(Termination.WaitStatusOf(new StrandEnd(StrandEndKind.Aborted))));
        Assert.Equal("killed by SIGSEGV", Termination.Describe(LinuxAbi.SIGSEGV));
        Assert.Equal("killed by SIGKILL", Termination.Describe(LinuxAbi.SIGKILL));
        Assert.Equal("killed by signal 40", Termination.Describe(40));
        Assert.Null(Termination.Describe(3 << 8));
    }

    [Fact]
    public void AProcessWhoseLastStrandFaultedReportsTheFaultsSignal()
    {
        var f = new LinuxFixture();
        f.Strand.EndAs(new StrandEnd(StrandEndKind.Faulted, 0, FaultKind.PageFault));
        Assert.True(f.Personality.OnStrandExited(f.Strand));
        Assert.True(f.Process.HasExited);
        Assert.Equal(139, f.Process.ExitCode);
    }

    // Code lines (comments aside) of the trusted core and the command line that would speak Unix.
    [Theory]
    [InlineData("Spindle.Kernel")]
    [InlineData("Spindle.Cli")]
    public void TheTrustedCoreAndTheCommandLineNameNoSignal(string folder)
    {
        var unix = new Regex(@"\bSIG[A-Z]{2,}\b|\b128\s*\+");
        var found = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Repo.PathOf(folder), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/bin/") || file.Contains("/obj/")) continue;
            foreach (var (line, n) in File.ReadLines(file).Select((l, i) => (l, i + 1)))
                if (!line.TrimStart().StartsWith("//", StringComparison.Ordinal) && unix.IsMatch(line))
                    found.Add($"{Path.GetRelativePath(Repo.Root, file)}:{n}: {line.Trim()}");
        }
        Assert.True(found.Count == 0, "Unix in the trusted core:\n" + string.Join("\n", found));
    }
}
