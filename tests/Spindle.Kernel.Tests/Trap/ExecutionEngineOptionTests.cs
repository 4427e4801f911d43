using Spindle.Kernel.Boot;
using Spindle.Kernel.Strand;
using Spindle.Machine.Cpu;

namespace Spindle.Kernel.Tests.Trap;

// The kernel picks the hart's execution engine from its options and names only the interface.
public sealed class ExecutionEngineOptionTests
{
    public static TheoryData<string> Engines => new(ExecutionEngines.All.Select(e => e.Name));

    [Theory, MemberData(nameof(Engines))]
    public void KernelOptionsSelectTheHartsEngine(string name)
    {
        using var kernel = new KernelRoot(new KernelOptions(MemoryBytes: 4 << 20, Engine: ExecutionEngines.Find(name)));
        Assert.Equal(name, kernel.Hart.Engine.Name);
        Assert.Same(kernel.Hart, kernel.Users.Hart);
    }

    [Fact]
    public void TheDefaultsAreTheInterpreterAndTheSchedulersOneSlice()
    {
        var options = new KernelOptions();
        Assert.Null(options.Engine);
        Assert.Equal(Scheduler.DefaultSlice, options.Slice);
        using var kernel = new KernelRoot(options with { MemoryBytes = 4 << 20 });
        Assert.Equal(ExecutionEngines.Interpreter.Name, kernel.Hart.Engine.Name);
    }
}
