using Spindle.Machine.Cpu;
using Spindle.Machine.Tests.Cpu;

namespace Spindle.Machine.Tests.SoftFloat;

/// <summary>
/// Runs the oracle's vectors as real instructions on a hart, one hart per execution engine: each vector's operands
/// go into registers 5, 6, 7 (f registers, single values NaN-boxed, or x registers for integer operands), the
/// instruction (static rounding mode) writes register 8, and the result and the fflags it accrued into fcsr are
/// read back. This is what the engine itself does with the instruction: decoding, operand and rounding-mode
/// handling, NaN-boxing, flag accrual.
/// </summary>
internal static class FpInstructions
{
    private const int Rs1 = 5, Rs2 = 6, Rs3 = 7, Rd = 8;

    /// <summary>Runs every vector on a fresh hart of <paramref name="engine"/>; one result per vector, in order
    /// (flags 0xFF and the trap in <paramref name="traps"/> if the instruction did not retire).</summary>
    public static FpResult[] Run(string engine, IReadOnlyList<FpVector> vectors, IReadOnlyDictionary<string, FpOp> ops, List<string> traps)
    {
        using var m = new TestMachine(engine);
        var results = new FpResult[vectors.Count];
        for (int i = 0; i < vectors.Count; i++)
        {
            FpVector v = vectors[i];
            FpOp op = ops[v.Op];
            ulong[] operands = [v.A, v.B, v.C];
            for (int k = 0; k < 3; k++)
            {
                m.X(Rs1 + k) = operands[k];
                m.F(Rs1 + k) = op.In == FpKind.F32 ? 0xFFFF_FFFF_0000_0000 | (uint)operands[k] : operands[k];
            }
            m.Hart.Registers.Fcsr = 0;
            Trap t = m.Step(Encode(op, v.Rm));
            if (t.Cause != TrapCause.Budget)
            {
                traps.Add($"{v.Op} rm={v.Rm}: {t}");
                results[i] = new FpResult(0, 0xFF);
                continue;
            }
            bool toF = op.Out is FpKind.F32 or FpKind.F64;
            results[i] = new FpResult(toF ? m.F(Rd) : m.X(Rd), m.Hart.Registers.Fcsr & 0x1F);
        }
        return results;
    }

    /// <summary>The instruction bits of <paramref name="op"/> with rounding mode <paramref name="rm"/> (ignored by
    /// operations whose rm field selects the operation).</summary>
    public static uint Encode(FpOp op, int rm)
    {
        string[] part = op.Name.Split('.');
        int d = part[^1] == "d" ? 1 : 0;
        switch (part[0])
        {
            case "fmadd": return Fused(0x43, d, rm);
            case "fmsub": return Fused(0x47, d, rm);
            case "fnmsub": return Fused(0x4B, d, rm);
            case "fnmadd": return Fused(0x4F, d, rm);
            case "fadd": return OpFp(0x00 | d, rm, Rs2);
            case "fsub": return OpFp(0x04 | d, rm, Rs2);
            case "fmul": return OpFp(0x08 | d, rm, Rs2);
            case "fdiv": return OpFp(0x0C | d, rm, Rs2);
            case "fsqrt": return OpFp(0x2C | d, rm, 0);
            case "fmin": return OpFp(0x14 | d, 0, Rs2);
            case "fmax": return OpFp(0x14 | d, 1, Rs2);
            case "feq": return OpFp(0x50 | d, 2, Rs2);
            case "flt": return OpFp(0x50 | d, 1, Rs2);
            case "fle": return OpFp(0x50 | d, 0, Rs2);
            case "fclass": return OpFp(0x70 | d, 1, 0);
            case "fcvt": return Convert(part[1], part[2], rm);
            default: throw new ArgumentException($"no encoding for {op.Name}");
        }
    }

    // fcvt.<to>.<from>: float-to-int (0x60), int-to-float (0x68) or float-to-float (0x20) with the source in rs2.
    private static uint Convert(string to, string from, int rm)
    {
        int Int(string k) => Array.IndexOf(["w", "wu", "l", "lu"], k);
        if (Int(to) >= 0) return OpFp(0x60 | (from == "d" ? 1 : 0), rm, Int(to));
        if (Int(from) >= 0) return OpFp(0x68 | (to == "d" ? 1 : 0), rm, Int(from));
        return to == "s" ? OpFp(0x20, rm, 1) : OpFp(0x21, rm, 0);
    }

    private static uint OpFp(int f7, int rm, int rs2) => Asm.OpFp(f7, rm, Rd, Rs1, rs2);

    private static uint Fused(uint opcode, int fmt, int rm) =>
        (uint)Rs3 << 27 | (uint)fmt << 25 | (uint)Rs2 << 20 | (uint)Rs1 << 15 | (uint)rm << 12 | (uint)Rd << 7 | opcode;
}
