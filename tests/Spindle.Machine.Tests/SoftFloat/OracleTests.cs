using Xunit.Abstractions;

namespace Spindle.Machine.Tests.SoftFloat;

/// <summary>
/// Runs every vector of a group of operations through the RISC-V oracle once (one qemu process), through
/// SoftFloat, and as instructions on a hart of each execution engine (<see cref="FpInstructions"/>), and records
/// per-op disagreements in value or fflags (per engine for the harts).
/// </summary>
public abstract class OracleRun
{
    internal const int Seed = 20240611;
    private readonly Dictionary<string, (int Count, List<string> Mismatches)> byOp = new();
    private readonly Dictionary<(string Engine, string Op), List<string>> byEngine = new();
    private readonly Exception? failure;

    private protected OracleRun(FpOp[] ops, int perRm)
    {
        var gen = new VectorGenerator(Seed);
        var vectors = ops.SelectMany(op => gen.For(op, perRm)).ToList();
        var table = ops.ToDictionary(op => op.Name);
        FpResult[] expected;
        try
        {
            expected = RiscvOracle.Run(vectors);
        }
        catch (InvalidOperationException e)
        {
            failure = e;
            return;
        }
        foreach (var op in ops) byOp[op.Name] = (0, new List<string>());
        for (int i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            FpOp op = table[v.Op];
            uint flags = 0;
            ulong got = op.Register(op.Eval(v.A, v.B, v.C, v.Rm, ref flags));
            ulong want = op.Compared(expected[i].Value);
            var (count, bad) = byOp[v.Op];
            byOp[v.Op] = (count + 1, bad);
            if (got != want || flags != expected[i].Flags)
                bad.Add($"{v.Op} rm={v.Rm} a={v.A:x} b={v.B:x} c={v.C:x}: softfloat {got:x} flags {flags:x}, riscv {want:x} flags {expected[i].Flags:x}");
        }
        foreach (var engine in Spindle.Machine.Cpu.ExecutionEngines.All)
        {
            foreach (var op in ops) byEngine[(engine.Name, op.Name)] = new List<string>();
            var traps = new List<string>();
            FpResult[] ran = FpInstructions.Run(engine.Name, vectors, table, traps);
            for (int i = 0; i < vectors.Count; i++)
            {
                var v = vectors[i];
                FpOp op = table[v.Op];
                bool boxed = op.Out != FpKind.F32 || ran[i].Value >> 32 == 0xFFFF_FFFF;
                if (!boxed || op.Compared(ran[i].Value) != op.Compared(expected[i].Value) || ran[i].Flags != expected[i].Flags)
                    byEngine[(engine.Name, v.Op)].Add($"{v.Op} rm={v.Rm} a={v.A:x} b={v.B:x} c={v.C:x}: {engine.Name} {ran[i].Value:x} flags {ran[i].Flags:x}, riscv {expected[i].Value:x} flags {expected[i].Flags:x}");
            }
            foreach (string trap in traps.Take(5)) byEngine[(engine.Name, trap.Split(' ')[0])].Insert(0, "trapped: " + trap);
        }
    }

    /// <summary>Asserts the hart running <paramref name="engine"/> agreed with the oracle on every vector of op.</summary>
    internal void CheckEngine(string engine, string op, ITestOutputHelper output)
    {
        if (failure != null) Assert.Fail($"RISC-V oracle unavailable: {failure.Message}");
        var (count, _) = byOp[op];
        var bad = byEngine[(engine, op)];
        output.WriteLine($"{op} on {engine}: {count} instructions compared, {bad.Count} mismatches");
        Assert.True(bad.Count == 0, $"{bad.Count} of {count} {op} instructions differ on {engine}:\n" + string.Join("\n", bad.Take(20)));
    }

    /// <summary>Asserts SoftFloat agreed with the oracle on every vector of op; reports the count.</summary>
    internal void Check(string op, ITestOutputHelper output)
    {
        if (failure != null) Assert.Fail($"RISC-V oracle unavailable: {failure.Message}");
        var (count, bad) = byOp[op];
        output.WriteLine($"{op}: {count} vectors compared, {bad.Count} mismatches");
        Assert.True(count > 0, $"no vectors for {op}");
        Assert.True(bad.Count == 0, $"{bad.Count} of {count} {op} vectors differ:\n" + string.Join("\n", bad.Take(20)));
    }
}

public sealed class F32ArithmeticOracle() : OracleRun(FpOps.F32Arithmetic, 4000);
public sealed class F64ArithmeticOracle() : OracleRun(FpOps.F64Arithmetic, 4000);
public sealed class ConversionOracle() : OracleRun(FpOps.Conversions, 2000);
public sealed class ComparisonOracle() : OracleRun(FpOps.Comparisons, 1000);

public sealed class F32ArithmeticOracleTests(F32ArithmeticOracle run, ITestOutputHelper output) : IClassFixture<F32ArithmeticOracle>
{
    public static TheoryData<string> Ops => new(FpOps.F32Arithmetic.Select(o => o.Name));

    [Theory, MemberData(nameof(Ops))]
    public void MatchesRiscv(string op) => run.Check(op, output);

    public static TheoryData<string, string> OpsOnEngines => OracleData.OnEngines(FpOps.F32Arithmetic);

    [Theory, MemberData(nameof(OpsOnEngines))]
    public void InstructionMatchesRiscv(string engine, string op) => run.CheckEngine(engine, op, output);
}

public sealed class F64ArithmeticOracleTests(F64ArithmeticOracle run, ITestOutputHelper output) : IClassFixture<F64ArithmeticOracle>
{
    public static TheoryData<string> Ops => new(FpOps.F64Arithmetic.Select(o => o.Name));

    [Theory, MemberData(nameof(Ops))]
    public void MatchesRiscv(string op) => run.Check(op, output);

    public static TheoryData<string, string> OpsOnEngines => OracleData.OnEngines(FpOps.F64Arithmetic);

    [Theory, MemberData(nameof(OpsOnEngines))]
    public void InstructionMatchesRiscv(string engine, string op) => run.CheckEngine(engine, op, output);
}

public sealed class ConversionOracleTests(ConversionOracle run, ITestOutputHelper output) : IClassFixture<ConversionOracle>
{
    public static TheoryData<string> Ops => new(FpOps.Conversions.Select(o => o.Name));

    [Theory, MemberData(nameof(Ops))]
    public void MatchesRiscv(string op) => run.Check(op, output);

    public static TheoryData<string, string> OpsOnEngines => OracleData.OnEngines(FpOps.Conversions);

    [Theory, MemberData(nameof(OpsOnEngines))]
    public void InstructionMatchesRiscv(string engine, string op) => run.CheckEngine(engine, op, output);
}

public sealed class ComparisonOracleTests(ComparisonOracle run, ITestOutputHelper output) : IClassFixture<ComparisonOracle>
{
    public static TheoryData<string> Ops => new(FpOps.Comparisons.Select(o => o.Name));

    [Theory, MemberData(nameof(Ops))]
    public void MatchesRiscv(string op) => run.Check(op, output);

    public static TheoryData<string, string> OpsOnEngines => OracleData.OnEngines(FpOps.Comparisons);

    [Theory, MemberData(nameof(OpsOnEngines))]
    public void InstructionMatchesRiscv(string engine, string op) => run.CheckEngine(engine, op, output);
}

/// <summary>Theory data: every (engine, operation) pair of a group.</summary>
internal static class OracleData
{
    public static TheoryData<string, string> OnEngines(FpOp[] ops)
    {
        var data = new TheoryData<string, string>();
        foreach (var engine in Spindle.Machine.Cpu.ExecutionEngines.All)
            foreach (var op in ops) data.Add(engine.Name, op.Name);
        return data;
    }
}
