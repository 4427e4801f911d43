using Spindle.Bench.Suites;

namespace Spindle.System.Tests.Bench;

/// <summary>The targets section: ratios against the host or another row of the same run, met or missed.</summary>
public sealed class BenchTargetsTests
{
    private static BenchRow Row(string name, double? spindle, double? host = null) => new("s", name, spindle, host, default);

    [Fact]
    public void RatiosComeFromTheSameRunAgainstTheHostOrThePeerRow()
    {
        var rows = new[] { Row("system-call", 0.5, 1.0), Row("direct-call", 0.002), Row("raise-1-guarded", 0.010), Row("cross-address-space-call", 3.0, 10.0) };
        var w = new StringWriter();
        BenchTargets.Write(w, rows);
        string text = w.ToString();
        Assert.Matches(@"system-call / host\s+0\.50x\s+limit\s+1\.0x\s+met", text);
        Assert.Matches(@"raise-1-guarded / direct-call\s+5\.00x\s+limit\s+4\.0x\s+MISSED", text);
        Assert.Matches(@"cross-address-space-call / host\s+0\.30x\s+limit\s+0\.2x\s+MISSED", text);
        Assert.DoesNotContain("vm-trap", text);               // not measured in this run
        Assert.DoesNotContain("raise-1000", text);            // its peer row is there, the row is not
    }

    [Fact]
    public void NothingMeasuredWritesNothing()
    {
        var w = new StringWriter();
        BenchTargets.Write(w, [Row("vm-trap", null, 2.0), Row("direct-call", 0.002)]);
        Assert.Equal("", w.ToString());
    }
}
