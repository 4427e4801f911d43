using System.Reflection.Emit;

namespace Spindle.Machine.Cpu.Jit;

// The IL of each instruction: integer and M operations inline (division through Alu, as the interpreter),
// control transfers, and the system, atomic, CSR and floating-point instructions through the interpreter's helpers.
internal sealed unsafe partial class RegionCompiler
{
    // Emits instruction d at region offset o (index i in offset order); true if the next instruction in memory
    // follows it on some path (the caller then falls or branches into it).
    private bool EmitInstruction(int o, Decoded d, int i)
    {
        switch (d.Op)
        {
            case Op.Nop: case Op.Fence: return true;
            case Op.Lui: _il.Emit(OpCodes.Ldc_I8, (long)d.Imm); StX(d.Rd); return true;
            case Op.Auipc: Pc((long)o + d.Imm); StX(d.Rd); return true;
            case Op.Jal:
                if (d.Rd != 0) { Pc(o + d.Len); StX(d.Rd); }
                _il.Emit(OpCodes.Br, Target((long)o + d.Imm));
                return false;
            case Op.Jalr:
                LdX(d.Rs1);
                _il.Emit(OpCodes.Ldc_I8, (long)d.Imm);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Ldc_I8, ~1L);
                _il.Emit(OpCodes.And);
                _il.Emit(OpCodes.Stloc, _exitPc);       // before the link: rd may be rs1
                if (d.Rd != 0) { Pc(o + d.Len); StX(d.Rd); }
                if (d.Rs1 is 1 or 5)                    // a return: stay in the region if it returns to a call in it
                    foreach (int site in _returnSites)
                    {
                        _il.Emit(OpCodes.Ldloc, _exitPc);
                        Pc(site);
                        _il.Emit(OpCodes.Beq, Label(site));
                    }
                _il.Emit(OpCodes.Ldc_I8, AdjAfter);
                _il.Emit(OpCodes.Stloc, _exitAdj);
                _il.Emit(OpCodes.Br, _normalExit);
                return false;
            case Op.Beq: return Branch(d, o, OpCodes.Beq);
            case Op.Bne: return Branch(d, o, OpCodes.Bne_Un);
            case Op.Blt: return Branch(d, o, OpCodes.Blt);
            case Op.Bge: return Branch(d, o, OpCodes.Bge);
            case Op.Bltu: return Branch(d, o, OpCodes.Blt_Un);
            case Op.Bgeu: return Branch(d, o, OpCodes.Bge_Un);

            case Op.Lb: Load(d, o, 1, OpCodes.Ldind_I1, OpCodes.Conv_I8, ToX(d.Rd)); return true;
            case Op.Lh: Load(d, o, 2, OpCodes.Ldind_I2, OpCodes.Conv_I8, ToX(d.Rd)); return true;
            case Op.Lw: Load(d, o, 4, OpCodes.Ldind_I4, OpCodes.Conv_I8, ToX(d.Rd)); return true;
            case Op.Ld: Load(d, o, 8, OpCodes.Ldind_I8, OpCodes.Nop, ToX(d.Rd)); return true;
            case Op.Lbu: Load(d, o, 1, OpCodes.Ldind_U1, OpCodes.Conv_U8, ToX(d.Rd)); return true;
            case Op.Lhu: Load(d, o, 2, OpCodes.Ldind_U2, OpCodes.Conv_U8, ToX(d.Rd)); return true;
            case Op.Lwu: Load(d, o, 4, OpCodes.Ldind_U4, OpCodes.Conv_U8, ToX(d.Rd)); return true;
            case Op.Flw: Load(d, o, 4, OpCodes.Ldind_U4, OpCodes.Conv_U8, ToF(d.Rd, box: true)); return true;
            case Op.Fld: Load(d, o, 8, OpCodes.Ldind_I8, OpCodes.Nop, ToF(d.Rd, box: false)); return true;
            case Op.Sb: Store(d, o, 1, OpCodes.Stind_I1, () => LdX(d.Rs2)); return true;
            case Op.Sh: Store(d, o, 2, OpCodes.Stind_I2, () => LdX(d.Rs2)); return true;
            case Op.Sw: Store(d, o, 4, OpCodes.Stind_I4, () => LdX(d.Rs2)); return true;
            case Op.Sd: Store(d, o, 8, OpCodes.Stind_I8, () => LdX(d.Rs2)); return true;
            case Op.Fsw: Store(d, o, 4, OpCodes.Stind_I4, () => LdF(d.Rs2)); return true;
            case Op.Fsd: Store(d, o, 8, OpCodes.Stind_I8, () => LdF(d.Rs2)); return true;

            case Op.Addi: Imm(d, OpCodes.Add); return true;
            case Op.Slti: Imm(d, OpCodes.Clt, OpCodes.Conv_U8); return true;
            case Op.Sltiu: Imm(d, OpCodes.Clt_Un, OpCodes.Conv_U8); return true;
            case Op.Xori: Imm(d, OpCodes.Xor); return true;
            case Op.Ori: Imm(d, OpCodes.Or); return true;
            case Op.Andi: Imm(d, OpCodes.And); return true;
            case Op.Slli: Shift(d, OpCodes.Shl, 63, wide: true); return true;
            case Op.Srli: Shift(d, OpCodes.Shr_Un, 63, wide: true); return true;
            case Op.Srai: Shift(d, OpCodes.Shr, 63, wide: true); return true;
            case Op.Add: Reg(d, OpCodes.Add); return true;
            case Op.Sub: Reg(d, OpCodes.Sub); return true;
            case Op.Sll: Shift(d, OpCodes.Shl, 63, wide: true); return true;
            case Op.Slt: Reg(d, OpCodes.Clt, OpCodes.Conv_U8); return true;
            case Op.Sltu: Reg(d, OpCodes.Clt_Un, OpCodes.Conv_U8); return true;
            case Op.Xor: Reg(d, OpCodes.Xor); return true;
            case Op.Srl: Shift(d, OpCodes.Shr_Un, 63, wide: true); return true;
            case Op.Sra: Shift(d, OpCodes.Shr, 63, wide: true); return true;
            case Op.Or: Reg(d, OpCodes.Or); return true;
            case Op.And: Reg(d, OpCodes.And); return true;
            case Op.Addiw: Imm(d, OpCodes.Add, OpCodes.Conv_I4, OpCodes.Conv_I8); return true;
            case Op.Slliw: Shift(d, OpCodes.Shl, 31, wide: false); return true;
            case Op.Srliw: Shift(d, OpCodes.Shr_Un, 31, wide: false); return true;
            case Op.Sraiw: Shift(d, OpCodes.Shr, 31, wide: false); return true;
            case Op.Addw: Reg(d, OpCodes.Add, OpCodes.Conv_I4, OpCodes.Conv_I8); return true;
            case Op.Subw: Reg(d, OpCodes.Sub, OpCodes.Conv_I4, OpCodes.Conv_I8); return true;
            case Op.Sllw: Shift(d, OpCodes.Shl, 31, wide: false); return true;
            case Op.Srlw: Shift(d, OpCodes.Shr_Un, 31, wide: false); return true;
            case Op.Sraw: Shift(d, OpCodes.Shr, 31, wide: false); return true;
            case Op.Mul: Reg(d, OpCodes.Mul); return true;
            case Op.Mulw: Reg(d, OpCodes.Mul, OpCodes.Conv_I4, OpCodes.Conv_I8); return true;
            case Op.Mulh or Op.Mulhsu or Op.Mulhu or Op.Div or Op.Divu or Op.Rem or Op.Remu
                or Op.Divw or Op.Divuw or Op.Remw or Op.Remuw:
                LdX(d.Rs1);
                LdX(d.Rs2);
                _il.Emit(OpCodes.Call, Helpers.Alu(d.Op.ToString()));
                StX(d.Rd);
                return true;

            case Op.FenceI:     // the interpreter runs it (it drops every block and region)
                _il.Emit(OpCodes.Br, Exit(o, AdjBefore, trap: false));
                return false;
            case Op.Ecall: Trap(o, TrapCause.Ecall, 0); return false;
            case Op.Ebreak: Trap(o, TrapCause.Breakpoint, 0); return false;
            case Op.Csr:
                if ((d.Rm & 4) == 0) Flush(d.Rs1);
                _il.Emit(OpCodes.Ldarg_S, ArgCpu);
                DecodedAddress(i);
                _il.Emit(OpCodes.Ldarg_S, ArgRetiredBase);      // retired before it: base + (left0 - left - AdjBefore)
                _il.Emit(OpCodes.Ldarg_S, ArgLeft);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Ldloc, _left);
                _il.Emit(OpCodes.Sub);
                _il.Emit(OpCodes.Ldc_I8, AdjBefore);
                _il.Emit(OpCodes.Sub);
                CallHelper(Helpers.Csr, o, d.Rd);
                return true;
            case Op.Atomic:     // like a slow-path store: leaves after itself if it may have written code
                {
                    Label leave = Exit(o + d.Len, AdjAfter, trap: false);
                    Flush(d.Rs1);
                    Flush(d.Rs2);
                    _il.Emit(OpCodes.Ldarg_S, ArgCpu);
                    DecodedAddress(i);
                    CallSlow(Helpers.Atomic, _status, Exit(o, AdjBefore, trap: true));
                    Reload(d.Rd);
                    _il.Emit(OpCodes.Ldc_I4_2);
                    _il.Emit(OpCodes.Beq, leave);
                    return true;
                }
            case Op.Fp:
                if (FpReadsX((FpOp)d.Imm)) Flush(d.Rs1);
                _il.Emit(OpCodes.Ldarg_S, ArgCpu);
                DecodedAddress(i);
                CallHelper(Helpers.Fp, o, FpWritesX((FpOp)d.Imm) ? d.Rd : -1);
                return true;
            default: Trap(o, TrapCause.IllegalInstruction, d.Raw); return false;
        }
    }

    // A conditional branch: to its target's label (or an exit), else on to the next instruction.
    private bool Branch(Decoded d, int o, OpCode taken)
    {
        LdX(d.Rs1);
        LdX(d.Rs2);
        _il.Emit(taken, Target((long)o + d.Imm));
        return true;
    }

    // rd = rs1 OP imm, then the conversions `after`.
    private void Imm(Decoded d, OpCode op, params OpCode[] after)
    {
        LdX(d.Rs1);
        _il.Emit(OpCodes.Ldc_I8, (long)d.Imm);
        _il.Emit(op);
        foreach (OpCode c in after) _il.Emit(c);
        StX(d.Rd);
    }

    // rd = rs1 OP rs2, then the conversions `after`.
    private void Reg(Decoded d, OpCode op, params OpCode[] after)
    {
        LdX(d.Rs1);
        LdX(d.Rs2);
        _il.Emit(op);
        foreach (OpCode c in after) _il.Emit(c);
        StX(d.Rd);
    }

    // Shifts by an immediate (the *i forms) or by rs2 masked to `mask`; the 32-bit forms shift the low word
    // (as unsigned for srl, signed for sra) and sign-extend the 32-bit result.
    private void Shift(Decoded d, OpCode op, int mask, bool wide)
    {
        LdX(d.Rs1);
        if (!wide) _il.Emit(op == OpCodes.Shr ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
        if (d.Op is Op.Slli or Op.Srli or Op.Srai or Op.Slliw or Op.Srliw or Op.Sraiw)
            _il.Emit(OpCodes.Ldc_I4, d.Imm & mask);
        else
        {
            LdX(d.Rs2);
            _il.Emit(OpCodes.Conv_I4);
            _il.Emit(OpCodes.Ldc_I4, mask);
            _il.Emit(OpCodes.And);
        }
        _il.Emit(op);
        if (!wide) _il.Emit(OpCodes.Conv_I8);
        StX(d.Rd);
    }

    // Records the trap of the instruction at o and leaves with it.
    private void Trap(int o, TrapCause cause, uint raw)
    {
        _il.Emit(OpCodes.Ldarg_S, ArgCpu);
        _il.Emit(OpCodes.Ldc_I4, (int)cause);
        _il.Emit(OpCodes.Ldc_I4, unchecked((int)raw));
        _il.Emit(OpCodes.Call, Helpers.Trap);
        _il.Emit(OpCodes.Br, Exit(o, AdjBefore, trap: true));
    }

    // Calls an interpreter helper (its arguments pushed) that returns false after recording a trap; on success
    // reloads x[rd] if rd >= 0 (the helper wrote it in the register file).
    private void CallHelper(System.Reflection.MethodInfo helper, int o, int rd)
    {
        _il.Emit(OpCodes.Call, helper);
        _il.Emit(OpCodes.Brfalse, Exit(o, AdjBefore, trap: true));
        if (rd >= 0) Reload(rd);
    }

    // Floating-point operations that read an integer register (rs1) or write one (rd).
    private static bool FpReadsX(FpOp op) => op is FpOp.CvtSW or FpOp.CvtSWu or FpOp.CvtSL or FpOp.CvtSLu or FpOp.MvWX
        or FpOp.CvtDW or FpOp.CvtDWu or FpOp.CvtDL or FpOp.CvtDLu or FpOp.MvDX;

    private static bool FpWritesX(FpOp op) => op is FpOp.CvtWS or FpOp.CvtWuS or FpOp.CvtLS or FpOp.CvtLuS
        or FpOp.EqS or FpOp.LtS or FpOp.LeS or FpOp.ClassS or FpOp.MvXW
        or FpOp.CvtWD or FpOp.CvtWuD or FpOp.CvtLD or FpOp.CvtLuD
        or FpOp.EqD or FpOp.LtD or FpOp.LeD or FpOp.ClassD or FpOp.MvXD;
}
