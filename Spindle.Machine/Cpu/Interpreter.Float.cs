using static Spindle.Machine.Cpu.NanBox;
using S = Spindle.Machine.Cpu.SoftFloat;

namespace Spindle.Machine.Cpu;

// The F and D extensions (except loads/stores, which the loop does): arithmetic through SoftFloat,
// sign injection and moves as bit operations, flags accrued into fcsr.
internal sealed unsafe partial class Interpreter
{
    private const uint Sign32 = 0x8000_0000;
    private const ulong Sign64 = 0x8000_0000_0000_0000;

    // True for operations whose rm field is a rounding mode (SoftFloat checks nothing: we reject 5..7).
    private static bool UsesRoundingMode(FpOp op) => op switch
    {
        FpOp.SgnjS or FpOp.SgnjnS or FpOp.SgnjxS or FpOp.MinS or FpOp.MaxS or FpOp.EqS or FpOp.LtS or FpOp.LeS
            or FpOp.ClassS or FpOp.MvXW or FpOp.MvWX => false,
        FpOp.SgnjD or FpOp.SgnjnD or FpOp.SgnjxD or FpOp.MinD or FpOp.MaxD or FpOp.EqD or FpOp.LtD or FpOp.LeD
            or FpOp.ClassD or FpOp.MvXD or FpOp.MvDX => false,
        _ => true,
    };

    // Executes one OP-FP or fused instruction. Resolves rm (7 = frm); an invalid resolved mode makes the
    // instruction illegal (returns false, nothing changed). Otherwise writes rd and ORs the flags into fcsr.
    private bool ExecFp(Decoded* d)
    {
        RegisterFile* r = _regs;
        ulong* x = r->X;
        ulong* f = r->F;
        var op = (FpOp)d->Imm;
        int rm = d->Rm == 7 ? (int)(r->Fcsr >> 5) & 7 : d->Rm;
        if (rm > S.RMM && UsesRoundingMode(op)) return Fault(TrapCause.IllegalInstruction, instruction: d->Raw);

        uint fl = 0;
        ulong a = f[d->Rs1], b = f[d->Rs2], c = f[d->Rs3], xs = x[d->Rs1];
        uint sa = Unbox(a), sb = Unbox(b), sc = Unbox(c);
        switch (op)
        {
            case FpOp.AddS: f[d->Rd] = Box(S.F32Add(sa, sb, rm, ref fl)); break;
            case FpOp.SubS: f[d->Rd] = Box(S.F32Sub(sa, sb, rm, ref fl)); break;
            case FpOp.MulS: f[d->Rd] = Box(S.F32Mul(sa, sb, rm, ref fl)); break;
            case FpOp.DivS: f[d->Rd] = Box(S.F32Div(sa, sb, rm, ref fl)); break;
            case FpOp.SqrtS: f[d->Rd] = Box(S.F32Sqrt(sa, rm, ref fl)); break;
            case FpOp.MaddS: f[d->Rd] = Box(S.F32MulAdd(sa, sb, sc, rm, ref fl)); break;
            case FpOp.MsubS: f[d->Rd] = Box(S.F32MulAdd(sa, sb, sc ^ Sign32, rm, ref fl)); break;
            case FpOp.NmsubS: f[d->Rd] = Box(S.F32MulAdd(sa ^ Sign32, sb, sc, rm, ref fl)); break;
            case FpOp.NmaddS: f[d->Rd] = Box(S.F32MulAdd(sa ^ Sign32, sb, sc ^ Sign32, rm, ref fl)); break;
            case FpOp.CvtWS: x[d->Rd] = (ulong)(long)S.F32ToI32(sa, rm, ref fl); break;
            case FpOp.CvtWuS: x[d->Rd] = (ulong)(long)(int)S.F32ToU32(sa, rm, ref fl); break;
            case FpOp.CvtLS: x[d->Rd] = (ulong)S.F32ToI64(sa, rm, ref fl); break;
            case FpOp.CvtLuS: x[d->Rd] = S.F32ToU64(sa, rm, ref fl); break;
            case FpOp.CvtSW: f[d->Rd] = Box(S.I32ToF32((int)xs, rm, ref fl)); break;
            case FpOp.CvtSWu: f[d->Rd] = Box(S.U32ToF32((uint)xs, rm, ref fl)); break;
            case FpOp.CvtSL: f[d->Rd] = Box(S.I64ToF32((long)xs, rm, ref fl)); break;
            case FpOp.CvtSLu: f[d->Rd] = Box(S.U64ToF32(xs, rm, ref fl)); break;
            case FpOp.SgnjS: f[d->Rd] = Box((sa & ~Sign32) | (sb & Sign32)); break;
            case FpOp.SgnjnS: f[d->Rd] = Box((sa & ~Sign32) | (~sb & Sign32)); break;
            case FpOp.SgnjxS: f[d->Rd] = Box(sa ^ (sb & Sign32)); break;
            case FpOp.MinS: f[d->Rd] = Box(S.F32Min(sa, sb, 0, ref fl)); break;
            case FpOp.MaxS: f[d->Rd] = Box(S.F32Max(sa, sb, 0, ref fl)); break;
            case FpOp.EqS: x[d->Rd] = S.F32Eq(sa, sb, ref fl) ? 1UL : 0; break;
            case FpOp.LtS: x[d->Rd] = S.F32Lt(sa, sb, ref fl) ? 1UL : 0; break;
            case FpOp.LeS: x[d->Rd] = S.F32Le(sa, sb, ref fl) ? 1UL : 0; break;
            case FpOp.ClassS: x[d->Rd] = S.F32Class(sa); break;
            case FpOp.MvXW: x[d->Rd] = (ulong)(long)(int)(uint)a; break;
            case FpOp.MvWX: f[d->Rd] = Box((uint)xs); break;

            case FpOp.AddD: f[d->Rd] = S.F64Add(a, b, rm, ref fl); break;
            case FpOp.SubD: f[d->Rd] = S.F64Sub(a, b, rm, ref fl); break;
            case FpOp.MulD: f[d->Rd] = S.F64Mul(a, b, rm, ref fl); break;
            case FpOp.DivD: f[d->Rd] = S.F64Div(a, b, rm, ref fl); break;
            case FpOp.SqrtD: f[d->Rd] = S.F64Sqrt(a, rm, ref fl); break;
            case FpOp.MaddD: f[d->Rd] = S.F64MulAdd(a, b, c, rm, ref fl); break;
            case FpOp.MsubD: f[d->Rd] = S.F64MulAdd(a, b, c ^ Sign64, rm, ref fl); break;
            case FpOp.NmsubD: f[d->Rd] = S.F64MulAdd(a ^ Sign64, b, c, rm, ref fl); break;
            case FpOp.NmaddD: f[d->Rd] = S.F64MulAdd(a ^ Sign64, b, c ^ Sign64, rm, ref fl); break;
            case FpOp.CvtWD: x[d->Rd] = (ulong)(long)S.F64ToI32(a, rm, ref fl); break;
            case FpOp.CvtWuD: x[d->Rd] = (ulong)(long)(int)S.F64ToU32(a, rm, ref fl); break;
            case FpOp.CvtLD: x[d->Rd] = (ulong)S.F64ToI64(a, rm, ref fl); break;
            case FpOp.CvtLuD: x[d->Rd] = S.F64ToU64(a, rm, ref fl); break;
            case FpOp.CvtDW: f[d->Rd] = S.I32ToF64((int)xs, rm, ref fl); break;
            case FpOp.CvtDWu: f[d->Rd] = S.U32ToF64((uint)xs, rm, ref fl); break;
            case FpOp.CvtDL: f[d->Rd] = S.I64ToF64((long)xs, rm, ref fl); break;
            case FpOp.CvtDLu: f[d->Rd] = S.U64ToF64(xs, rm, ref fl); break;
            case FpOp.SgnjD: f[d->Rd] = (a & ~Sign64) | (b & Sign64); break;
            case FpOp.SgnjnD: f[d->Rd] = (a & ~Sign64) | (~b & Sign64); break;
            case FpOp.SgnjxD: f[d->Rd] = a ^ (b & Sign64); break;
            case FpOp.MinD: f[d->Rd] = S.F64Min(a, b, 0, ref fl); break;
            case FpOp.MaxD: f[d->Rd] = S.F64Max(a, b, 0, ref fl); break;
            case FpOp.EqD: x[d->Rd] = S.F64Eq(a, b, ref fl) ? 1UL : 0; break;
            case FpOp.LtD: x[d->Rd] = S.F64Lt(a, b, ref fl) ? 1UL : 0; break;
            case FpOp.LeD: x[d->Rd] = S.F64Le(a, b, ref fl) ? 1UL : 0; break;
            case FpOp.ClassD: x[d->Rd] = S.F64Class(a); break;
            case FpOp.MvXD: x[d->Rd] = a; break;
            case FpOp.MvDX: f[d->Rd] = xs; break;

            case FpOp.CvtSD: f[d->Rd] = Box(S.F64ToF32(a, rm, ref fl)); break;
            case FpOp.CvtDS: f[d->Rd] = S.F32ToF64(sa, ref fl); break;
        }
        r->Fcsr |= fl & 0x1F;
        return true;
    }
}
