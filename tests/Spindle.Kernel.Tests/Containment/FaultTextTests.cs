using Spindle.Kernel.Domain;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>The kernel describes a fault without running any of the faulting object's code.</summary>
public sealed class FaultTextTests
{
    private sealed class Poisoned : Exception
    {
        public static int Reads;
        public override string Message { get { Reads++; throw new InvalidOperationException("read"); } }
        public override string ToString() { Reads++; throw new InvalidOperationException("read"); }
    }

    private sealed class Loud
    {
        public static int Reads;
        public override string ToString() { Reads++; throw new InvalidOperationException("read"); }
    }

    [Fact]
    public void AnOverriddenMessageIsNeverRead()
    {
        Poisoned.Reads = 0;
        Assert.Equal("Poisoned (its message is the extension's own code and was not read)", FaultText.Describe(new Poisoned()));
        Assert.Equal(0, Poisoned.Reads);
    }

    [Fact]
    public void MessagesThatFormatOtherObjectsAreNotRead()
    {
        Poisoned.Reads = Loud.Reads = 0;
        Assert.StartsWith("AggregateException (", FaultText.Describe(new AggregateException(new Poisoned())));
        Assert.StartsWith("ArgumentOutOfRangeException (", FaultText.Describe(new ArgumentOutOfRangeException("p", new Loud(), "m")));
        Assert.Equal(0, Poisoned.Reads + Loud.Reads);
    }

    [Fact]
    public void PlainMessagesAreReadAndCut()
    {
        Assert.Equal("InvalidOperationException: boom", FaultText.Describe(new InvalidOperationException("boom")));
        Assert.Equal("ArgumentException: bad (Parameter 'x')", FaultText.Describe(new ArgumentException("bad", "x")));
        string described = FaultText.Describe(new Exception(new string('m', 100_000)));
        Assert.Equal("Exception: ".Length + FaultText.MaxLength + "...".Length, described.Length);
        Assert.Equal("unknown fault", FaultText.Describe(null));
    }
}
