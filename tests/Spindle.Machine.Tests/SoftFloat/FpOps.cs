using SF = Spindle.Machine.Cpu.SoftFloat;

namespace Spindle.Machine.Tests.SoftFloat;

/// <summary>Kinds of operand or result register contents.</summary>
internal enum FpKind { F32, F64, I32, I64, Bool }

/// <summary>Evaluates one operation with SoftFloat on raw operand bits.</summary>
internal delegate ulong FpEval(ulong a, ulong b, ulong c, int rm, ref uint flags);

/// <summary>
/// An instruction under test: its mnemonic (as the oracle knows it), operand count and kind, result kind,
/// whether it takes a rounding mode, and the SoftFloat call that implements it.
/// </summary>
internal sealed record FpOp(string Name, int Arity, FpKind In, FpKind Out, bool UsesRm, FpEval Eval)
{
    /// <summary>SoftFloat's result as RV64 writes it to the destination register (32-bit ints sign-extend).</summary>
    public ulong Register(ulong r) => Out switch
    {
        FpKind.I32 => (ulong)(long)(int)(uint)r,
        _ => r,
    };

    /// <summary>The oracle's register value reduced to what is compared (binary32 drops its NaN-boxing).</summary>
    public ulong Compared(ulong oracle) => Out == FpKind.F32 ? oracle & 0xffffffff : oracle;

    public override string ToString() => Name;
}

/// <summary>All operations, grouped the way the oracle test classes run them.</summary>
internal static class FpOps
{
    private static FpOp Op(string name, int arity, FpKind input, FpKind output, FpEval eval, bool usesRm = true)
        => new(name, arity, input, output, usesRm, eval);

    private const uint S = 0x80000000;
    private const ulong Dsign = 0x8000000000000000;
    private const FpKind F32 = FpKind.F32, F64 = FpKind.F64, I32 = FpKind.I32, I64 = FpKind.I64, B = FpKind.Bool;

    public static readonly FpOp[] F32Arithmetic =
    [
        Op("fadd.s", 2, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Add((uint)a, (uint)b, rm, ref f)),
        Op("fsub.s", 2, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Sub((uint)a, (uint)b, rm, ref f)),
        Op("fmul.s", 2, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Mul((uint)a, (uint)b, rm, ref f)),
        Op("fdiv.s", 2, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Div((uint)a, (uint)b, rm, ref f)),
        Op("fsqrt.s", 1, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Sqrt((uint)a, rm, ref f)),
        Op("fmadd.s", 3, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32MulAdd((uint)a, (uint)b, (uint)c, rm, ref f)),
        // The negated forms, built as SoftFloat's contract says: MulAdd with operand signs flipped.
        Op("fmsub.s", 3, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32MulAdd((uint)a, (uint)b, (uint)c ^ S, rm, ref f)),
        Op("fnmsub.s", 3, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32MulAdd((uint)a ^ S, (uint)b, (uint)c, rm, ref f)),
        Op("fnmadd.s", 3, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32MulAdd((uint)a ^ S, (uint)b, (uint)c ^ S, rm, ref f)),
    ];

    public static readonly FpOp[] F64Arithmetic =
    [
        Op("fadd.d", 2, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Add(a, b, rm, ref f)),
        Op("fsub.d", 2, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Sub(a, b, rm, ref f)),
        Op("fmul.d", 2, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Mul(a, b, rm, ref f)),
        Op("fdiv.d", 2, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Div(a, b, rm, ref f)),
        Op("fsqrt.d", 1, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Sqrt(a, rm, ref f)),
        Op("fmadd.d", 3, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64MulAdd(a, b, c, rm, ref f)),
        Op("fmsub.d", 3, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64MulAdd(a, b, c ^ Dsign, rm, ref f)),
        Op("fnmsub.d", 3, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64MulAdd(a ^ Dsign, b, c, rm, ref f)),
        Op("fnmadd.d", 3, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64MulAdd(a ^ Dsign, b, c ^ Dsign, rm, ref f)),
    ];

    public static readonly FpOp[] Conversions =
    [
        Op("fcvt.w.s", 1, F32, I32, (ulong a, ulong b, ulong c, int rm, ref uint f) => (ulong)SF.F32ToI32((uint)a, rm, ref f)),
        Op("fcvt.wu.s", 1, F32, I32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32ToU32((uint)a, rm, ref f)),
        Op("fcvt.l.s", 1, F32, I64, (ulong a, ulong b, ulong c, int rm, ref uint f) => (ulong)SF.F32ToI64((uint)a, rm, ref f)),
        Op("fcvt.lu.s", 1, F32, I64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32ToU64((uint)a, rm, ref f)),
        Op("fcvt.s.w", 1, I32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.I32ToF32((int)a, rm, ref f)),
        Op("fcvt.s.wu", 1, I32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.U32ToF32((uint)a, rm, ref f)),
        Op("fcvt.s.l", 1, I64, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.I64ToF32((long)a, rm, ref f)),
        Op("fcvt.s.lu", 1, I64, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.U64ToF32(a, rm, ref f)),
        Op("fcvt.w.d", 1, F64, I32, (ulong a, ulong b, ulong c, int rm, ref uint f) => (ulong)SF.F64ToI32(a, rm, ref f)),
        Op("fcvt.wu.d", 1, F64, I32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64ToU32(a, rm, ref f)),
        Op("fcvt.l.d", 1, F64, I64, (ulong a, ulong b, ulong c, int rm, ref uint f) => (ulong)SF.F64ToI64(a, rm, ref f)),
        Op("fcvt.lu.d", 1, F64, I64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64ToU64(a, rm, ref f)),
        Op("fcvt.d.w", 1, I32, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.I32ToF64((int)a, rm, ref f), usesRm: false),
        Op("fcvt.d.wu", 1, I32, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.U32ToF64((uint)a, rm, ref f), usesRm: false),
        Op("fcvt.d.l", 1, I64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.I64ToF64((long)a, rm, ref f)),
        Op("fcvt.d.lu", 1, I64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.U64ToF64(a, rm, ref f)),
        Op("fcvt.s.d", 1, F64, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64ToF32(a, rm, ref f)),
        Op("fcvt.d.s", 1, F32, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32ToF64((uint)a, ref f), usesRm: false),
    ];

    public static readonly FpOp[] Comparisons =
    [
        Op("fmin.s", 2, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Min((uint)a, (uint)b, 0, ref f), usesRm: false),
        Op("fmax.s", 2, F32, F32, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Max((uint)a, (uint)b, 0, ref f), usesRm: false),
        Op("feq.s", 2, F32, B, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Eq((uint)a, (uint)b, ref f) ? 1UL : 0, usesRm: false),
        Op("flt.s", 2, F32, B, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Lt((uint)a, (uint)b, ref f) ? 1UL : 0, usesRm: false),
        Op("fle.s", 2, F32, B, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Le((uint)a, (uint)b, ref f) ? 1UL : 0, usesRm: false),
        Op("fclass.s", 1, F32, I64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F32Class((uint)a), usesRm: false),
        Op("fmin.d", 2, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Min(a, b, 0, ref f), usesRm: false),
        Op("fmax.d", 2, F64, F64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Max(a, b, 0, ref f), usesRm: false),
        Op("feq.d", 2, F64, B, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Eq(a, b, ref f) ? 1UL : 0, usesRm: false),
        Op("flt.d", 2, F64, B, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Lt(a, b, ref f) ? 1UL : 0, usesRm: false),
        Op("fle.d", 2, F64, B, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Le(a, b, ref f) ? 1UL : 0, usesRm: false),
        Op("fclass.d", 1, F64, I64, (ulong a, ulong b, ulong c, int rm, ref uint f) => SF.F64Class(a), usesRm: false),
    ];
}
