using Spindle.Bench.Suites;

namespace Spindle.System.Tests.Bench;

/// <summary>
/// SPIN's cross-address-space call (extensions/Examples/CrossCall.cs, loaded by xas_call.c with syscall 1000): calls
/// from one process to a server process round-trip their values, and bad or stale handles, a process without the
/// capability, a server that dies while serving, a dead server's port and a name nobody serves get their errors
/// (xas_call.c checks each and exits with the failed check's message). A missing cross compiler fails these tests.
/// </summary>
public sealed class CrossCallTests
{
    private static readonly BenchPrograms Programs = new(Path.Combine(Path.GetTempPath(), "spindle-bench-tests"));

    [Fact]
    public void CallsRoundTripAndEveryErrorCaseGetsItsCode()
    {
        var output = Programs.RunSpindleLoading("xas_call.c", "CrossCall.cs", "50", "2");
        Assert.True(output.Failure == null, $"xas_call on Spindle: {output.Failure}");
        Assert.True(output.Micros("cross-address-space-call") is > 0, "xas_call reported no positive cross-address-space-call");
    }

    [Fact]
    public void ACallBlockedInTheExtensionFailsWhenItsLoaderEndsAndTakesItAway()
    {
        // A child loads the extension; the parent creates a port nobody serves and calls it. The call waits in the
        // extension until the child exits, which unloads it: the call must end with ENOSYS, not wait for ever.
        var output = Programs.RunSpindleLoading("xas_call.c", "CrossCall.cs", "unload-check");
        Assert.True(output.Failure == null, $"xas_call unload-check on Spindle: {output.Failure}");
    }

    [Fact]
    public void WithoutTheExtensionTheCallsAreNotThere()
    {
        // The same program on a kernel without the extension calls: loading CrossCall.cs (call 1000) answers ENOSYS.
        var output = Programs.RunSpindle("xas_call.c", "CrossCall.cs", "10", "1");
        Assert.NotNull(output.Failure);
        Assert.Contains("CrossCall.cs: Function not implemented", output.Failure);
    }
}
