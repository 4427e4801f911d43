using Xunit.Abstractions;

namespace Spindle.Machine.Tests.SoftFloat;

/// <summary>
/// Runs every vector of a group of operations through the RISC-V oracle once (one qemu process) and
/// through SoftFloat, and records per-op disagreements in value or fflags.
/// </summary>
public abstract class OracleRun
{
    internal const int Seed = 20240611;
    private readonly Dictionary<string, (int Count, List<string> Mismatches)> byOp = new();
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
}

public sealed class F64ArithmeticOracleTests(F64ArithmeticOracle run, ITestOutputHelper output) : IClassFixture<F64ArithmeticOracle>
{
    public static TheoryData<string> Ops => new(FpOps.F64Arithmetic.Select(o => o.Name));

    [Theory, MemberData(nameof(Ops))]
    public void MatchesRiscv(string op) => run.Check(op, output);
}

public sealed class ConversionOracleTests(ConversionOracle run, ITestOutputHelper output) : IClassFixture<ConversionOracle>
{
    public static TheoryData<string> Ops => new(FpOps.Conversions.Select(o => o.Name));

    [Theory, MemberData(nameof(Ops))]
    public void MatchesRiscv(string op) => run.Check(op, output);
}

public sealed class ComparisonOracleTests(ComparisonOracle run, ITestOutputHelper output) : IClassFixture<ComparisonOracle>
{
    public static TheoryData<string> Ops => new(FpOps.Comparisons.Select(o => o.Name));

    [Theory, MemberData(nameof(Ops))]
    public void MatchesRiscv(string op) => run.Check(op, output);
}
