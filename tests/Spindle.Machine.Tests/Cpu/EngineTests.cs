using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu;

/// <summary>
/// The execution-engine seam: the registry, the hart built with an engine, and the parts of the engine contract
/// the other suites do not reach (a change of mapping under code that already ran; the kernel's invalidation).
/// </summary>
public class EngineTests
{
    [Fact]
    public void TheRegistryNamesEachEngineOnceAndTheInterpreterIsTheDefault()
    {
        Assert.Contains(ExecutionEngines.Interpreter, ExecutionEngines.All);
        Assert.Equal(ExecutionEngines.All.Count, ExecutionEngines.All.Select(e => e.Name.ToLowerInvariant()).Distinct().Count());
        Assert.Same(ExecutionEngines.Interpreter, ExecutionEngines.Find("INTERPRETER"));
        Assert.Null(ExecutionEngines.Find("no-such-engine"));
        using var memory = new PhysicalMemory(4);
        Assert.Equal(ExecutionEngines.Interpreter.Name, new Hart(memory).Engine.Name);
    }

    [Theory, EachEngine]
    public void TheHartRunsOnTheEngineItWasBuiltWith(string engine)
    {
        using var m = new TestMachine(engine);
        Assert.Equal(engine, m.Hart.Engine.Name);
        m.RunToBreak(new Snippet().I(Addi(10, 0, 42)));
        Assert.Equal(42UL, m.X(10));
        Assert.Equal(1UL, m.Hart.InstructionsRetired);     // the addi; the ebreak retires nothing
    }

    [Theory, EachEngine]
    public void RemappingACodePageToAnotherFrameRunsTheNewFrame(string engine)
    {
        using var m = new TestMachine(engine);
        m.RunToBreak(new Snippet().I(Addi(10, 0, 1)));
        uint other = m.Map(0x900000, PageRights.ReadWrite);             // a second frame, filled as data
        new Snippet().I(Addi(10, 0, 2), Ebreak()).ToArray().CopyTo(m.Memory.Frame(other));
        m.Table.Unmap(0x900000, out _);
        m.Table.Map(TestMachine.Code, other, PageRights.ReadExecute);    // the same va, now the other frame
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(10).Cause);
        Assert.Equal(2UL, m.X(10));
    }

    [Theory, EachEngine]
    public void UnmappingACodePageThatRanMakesTheNextFetchFault(string engine)
    {
        using var m = new TestMachine(engine);
        m.RunToBreak(new Snippet().I(Addi(10, 0, 1)));
        m.Table.Unmap(TestMachine.Code, out _);
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(new Trap(TrapCause.PageFault, TestMachine.Code, TestMachine.Code, AccessKind.Execute), m.Hart.Run(10));
        Assert.Equal(1UL, m.Hart.InstructionsRetired);
    }

    [Theory, EachEngine]
    public void CodeRunsTheSameAfterTheKernelInvalidatesIt(string engine)
    {
        using var m = new TestMachine(engine);
        var loop = new Snippet().I(Addi(5, 0, 100), Addi(6, 6, 3), Addi(5, 5, -1), Bne(5, 0, -8));
        m.RunToBreak(loop);
        m.Hart.Engine.InvalidateCode();
        m.Hart.Engine.FlushTranslations();
        m.X(6) = 0;
        m.Hart.Registers.Pc = TestMachine.Code;
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(1_000).Cause);
        Assert.Equal(300UL, m.X(6));
    }

    [Fact]
    public void TheForcedCompilerRunsALoopInCompiledCodeAndTheInterpreterCompilesNothing()
    {
        var loop = new Snippet().I(Addi(5, 0, 100), Addi(6, 6, 3), Addi(5, 5, -1), Bne(5, 0, -8));
        using var jit = new TestMachine(ExecutionEngines.JitForced.Name);
        jit.RunToBreak(loop);
        Assert.Equal(300UL, jit.X(6));
        EngineStatistics s = jit.Hart.Engine.Statistics;
        Assert.True(s.CompiledRegions > 0, "no region compiled");
        Assert.Equal(301L, s.CompiledInstructions);     // addi, then 100 times the three-instruction loop
        using var interp = new TestMachine(ExecutionEngines.Interpreter.Name);
        interp.RunToBreak(new Snippet().I(Addi(5, 0, 100), Addi(6, 6, 3), Addi(5, 5, -1), Bne(5, 0, -8)));
        Assert.Equal(default, interp.Hart.Engine.Statistics);
    }
}
