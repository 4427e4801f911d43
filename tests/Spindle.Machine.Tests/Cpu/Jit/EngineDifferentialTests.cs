using Spindle.Machine.Cpu;
using Xunit.Abstractions;

namespace Spindle.Machine.Tests.Cpu.Jit;

/// <summary>
/// The compiling engine against the interpreter on seeded random programs (<see cref="RandomProgram"/>): the same
/// program, registers, memory and budgets under the interpreter and under the compiler forced on from the first
/// instruction must end every run with the same trap, retired count, pc, fcsr, registers and memory. Budgets are
/// mostly small, so that they end inside regions; faults inside regions come from the unmapped and read-only
/// pointers. A failure names the seed and the smallest program (by turning instructions into nops) that still
/// differs.
/// </summary>
public class EngineDifferentialTests(ITestOutputHelper output)
{
    private const int ProgramsPerCase = 500;

    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    public void TheForcedCompilerAgreesWithTheInterpreterOnRandomPrograms(int block)
    {
        for (int seed = block * ProgramsPerCase; seed < (block + 1) * ProgramsPerCase; seed++)
        {
            var p = new RandomProgram(seed);
            if (Differs(p, p.Bytes()) is not { } difference) continue;
            Shrink(p);
            Assert.Fail($"seed {seed}: the engines differ; smallest program found (at 0x{p.Start:x}):\n{Listing(p)}\n{Differs(p, p.Bytes())}");
        }
    }

    // The first run whose outcome differs between the engines, shown for both, or null.
    private static string? Differs(RandomProgram p, byte[] code)
    {
        using var interp = new DiffMachine(ExecutionEngines.Interpreter, p, code);
        using var jit = new DiffMachine(ExecutionEngines.JitForced, p, code);
        List<string> a = interp.Run(p.Budgets), b = jit.Run(p.Budgets);
        for (int i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            string ai = i < a.Count ? a[i] : "(no run)", bi = i < b.Count ? b[i] : "(no run)";
            if (ai != bi) return $"run {i} (budget {p.Budgets[i]}):\ninterpreter: {ai}\njit-forced:  {bi}";
        }
        return null;
    }

    // Turns instructions into nops of the same size, one at a time, as long as the engines still differ.
    private static void Shrink(RandomProgram p)
    {
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int i = 0; i < p.Code.Count; i++)
            {
                var (size, bits) = p.Code[i];
                uint nop = size == 4 ? 0x13u : 0x1u;
                if (bits == nop) continue;
                p.Code[i] = (size, nop);
                if (Differs(p, p.Bytes()) != null) changed = true;
                else p.Code[i] = (size, bits);
            }
        }
    }

    private static string Listing(RandomProgram p)
    {
        var s = new System.Text.StringBuilder();
        int off = 0;
        foreach (var (size, bits) in p.Code)
        {
            if (bits != (size == 4 ? 0x13u : 0x1u)) s.Append($"  +{off:x3}: {(size == 4 ? bits.ToString("x8") : bits.ToString("x4"))}\n");
            off += size;
        }
        s.Append($"  budgets {string.Join(", ", p.Budgets)}");
        return s.ToString();
    }
}
