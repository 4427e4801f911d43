using System.Text.RegularExpressions;

namespace Spindle.System.Tests.Isolation;

/// <summary>
/// A seeded system-call fuzzer (programs/iso_fuzz.c) under `spindle run`: 20,000 calls with random numbers and
/// hostile arguments must all come back to the program, which finishes ("fuzz done", exit 0), while a child
/// forked at the start computes and prints its value. The kernel must never report an internal error or leak a
/// .NET exception. The checksum is printed for the record only: results include clocks, so it varies by run.
/// </summary>
public sealed class SyscallFuzzTests
{
    /// <summary>The sum of the primes below 200,000, which the fuzzer's child prints.</summary>
    private const long ChildValue = 1709600813;

    [Theory]
    [InlineData(1)]
    [InlineData(1995)]
    [InlineData(424242)]
    public void RandomCallsNeverBreakTheKernel(int seed)
    {
        var r = IsolationProgram.Run(IsolationProgram.Compile("iso_fuzz"), [seed.ToString()]);
        string text = r.StdoutText;
        Assert.True(r.ExitCode == 0, $"{text}\n{r.Describe("spindle")}");
        Assert.Matches(new Regex($@"^seed {seed}: \d+ calls made, \d+ skipped, checksum [0-9a-f]{{8}}$", RegexOptions.Multiline), text);
        Assert.Contains($"child value: {ChildValue}\n", text);
        Assert.Contains("child exit: 0\n", text);
        Assert.EndsWith("fuzz done\n", text);
        IsolationProgram.AssertNoKernelFailure(r);
    }
}
