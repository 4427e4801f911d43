using System.Runtime.CompilerServices;

namespace Spindle.Machine.Cpu;

// The interpreter loop.
public sealed unsafe partial class Hart
{
    // Runs until a trap or until 'budget' (> 0) instructions retired. Registers live in the pinned
    // register file; pc, the retired count and the current code page live in locals. Each iteration:
    // budget check, fetch from the current page's decoded slots (re-validating the slot's bits against
    // memory), dispatch. A trapping instruction un-counts itself and leaves pc on itself.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Trap Execute(long budget)
    {
        RegisterFile* r = _regs;
        ulong* x = r->X;
        ulong* f = r->F;
        ulong pc = r->Pc;
        long n = 0;
        ulong pageVa = NoPage(pc);
        byte* host = null;
        Decoded* code = null;
        Decoded* d;
        Trap trap;

        for (; ; )
        {
            if (n >= budget) { trap = new Trap(TrapCause.Budget, pc); break; }
            ulong off = pc - pageVa;
            if (off < PageSize - 2)
            {
                d = code + (off >> 1);
                uint w = *(uint*)(host + off);
                if ((w & (uint.MaxValue >> d->Shift)) != d->Raw) Redecode(d, w);
            }
            else if ((d = FetchSlow(pc, ref pageVa, ref host, ref code)) == null)
            {
                goto fetchFault;
            }
            n++;

            switch (d->Op)
            {
                case Op.Lui: x[d->Rd] = (ulong)(long)d->Imm; pc += d->Len; break;
                case Op.Auipc: x[d->Rd] = pc + (ulong)(long)d->Imm; pc += d->Len; break;
                case Op.Jal: x[d->Rd] = pc + d->Len; pc += (ulong)(long)d->Imm; break;
                case Op.Jalr:
                    {
                        ulong target = (x[d->Rs1] + (ulong)(long)d->Imm) & ~1UL;
                        x[d->Rd] = pc + d->Len;
                        pc = target;
                        break;
                    }
                case Op.Beq: pc += x[d->Rs1] == x[d->Rs2] ? (ulong)(long)d->Imm : d->Len; break;
                case Op.Bne: pc += x[d->Rs1] != x[d->Rs2] ? (ulong)(long)d->Imm : d->Len; break;
                case Op.Blt: pc += (long)x[d->Rs1] < (long)x[d->Rs2] ? (ulong)(long)d->Imm : d->Len; break;
                case Op.Bge: pc += (long)x[d->Rs1] >= (long)x[d->Rs2] ? (ulong)(long)d->Imm : d->Len; break;
                case Op.Bltu: pc += x[d->Rs1] < x[d->Rs2] ? (ulong)(long)d->Imm : d->Len; break;
                case Op.Bgeu: pc += x[d->Rs1] >= x[d->Rs2] ? (ulong)(long)d->Imm : d->Len; break;

                case Op.Lb: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out sbyte v)) goto fault; x[d->Rd] = (ulong)v; pc += d->Len; break; }
                case Op.Lh: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out short v)) goto fault; x[d->Rd] = (ulong)v; pc += d->Len; break; }
                case Op.Lw: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out int v)) goto fault; x[d->Rd] = (ulong)v; pc += d->Len; break; }
                case Op.Ld: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out ulong v)) goto fault; x[d->Rd] = v; pc += d->Len; break; }
                case Op.Lbu: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out byte v)) goto fault; x[d->Rd] = v; pc += d->Len; break; }
                case Op.Lhu: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out ushort v)) goto fault; x[d->Rd] = v; pc += d->Len; break; }
                case Op.Lwu: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out uint v)) goto fault; x[d->Rd] = v; pc += d->Len; break; }
                case Op.Sb: if (!Store(x[d->Rs1] + (ulong)(long)d->Imm, (byte)x[d->Rs2])) goto fault; pc += d->Len; break;
                case Op.Sh: if (!Store(x[d->Rs1] + (ulong)(long)d->Imm, (ushort)x[d->Rs2])) goto fault; pc += d->Len; break;
                case Op.Sw: if (!Store(x[d->Rs1] + (ulong)(long)d->Imm, (uint)x[d->Rs2])) goto fault; pc += d->Len; break;
                case Op.Sd: if (!Store(x[d->Rs1] + (ulong)(long)d->Imm, x[d->Rs2])) goto fault; pc += d->Len; break;

                case Op.Addi: x[d->Rd] = x[d->Rs1] + (ulong)(long)d->Imm; pc += d->Len; break;
                case Op.Slti: x[d->Rd] = (long)x[d->Rs1] < d->Imm ? 1UL : 0; pc += d->Len; break;
                case Op.Sltiu: x[d->Rd] = x[d->Rs1] < (ulong)(long)d->Imm ? 1UL : 0; pc += d->Len; break;
                case Op.Xori: x[d->Rd] = x[d->Rs1] ^ (ulong)(long)d->Imm; pc += d->Len; break;
                case Op.Ori: x[d->Rd] = x[d->Rs1] | (ulong)(long)d->Imm; pc += d->Len; break;
                case Op.Andi: x[d->Rd] = x[d->Rs1] & (ulong)(long)d->Imm; pc += d->Len; break;
                case Op.Slli: x[d->Rd] = x[d->Rs1] << d->Imm; pc += d->Len; break;
                case Op.Srli: x[d->Rd] = x[d->Rs1] >> d->Imm; pc += d->Len; break;
                case Op.Srai: x[d->Rd] = (ulong)((long)x[d->Rs1] >> d->Imm); pc += d->Len; break;

                case Op.Add: x[d->Rd] = x[d->Rs1] + x[d->Rs2]; pc += d->Len; break;
                case Op.Sub: x[d->Rd] = x[d->Rs1] - x[d->Rs2]; pc += d->Len; break;
                case Op.Sll: x[d->Rd] = x[d->Rs1] << (int)x[d->Rs2]; pc += d->Len; break;
                case Op.Slt: x[d->Rd] = (long)x[d->Rs1] < (long)x[d->Rs2] ? 1UL : 0; pc += d->Len; break;
                case Op.Sltu: x[d->Rd] = x[d->Rs1] < x[d->Rs2] ? 1UL : 0; pc += d->Len; break;
                case Op.Xor: x[d->Rd] = x[d->Rs1] ^ x[d->Rs2]; pc += d->Len; break;
                case Op.Srl: x[d->Rd] = x[d->Rs1] >> (int)x[d->Rs2]; pc += d->Len; break;
                case Op.Sra: x[d->Rd] = (ulong)((long)x[d->Rs1] >> (int)x[d->Rs2]); pc += d->Len; break;
                case Op.Or: x[d->Rd] = x[d->Rs1] | x[d->Rs2]; pc += d->Len; break;
                case Op.And: x[d->Rd] = x[d->Rs1] & x[d->Rs2]; pc += d->Len; break;

                case Op.Addiw: x[d->Rd] = (ulong)(int)(x[d->Rs1] + (ulong)(long)d->Imm); pc += d->Len; break;
                case Op.Slliw: x[d->Rd] = (ulong)(int)((uint)x[d->Rs1] << d->Imm); pc += d->Len; break;
                case Op.Srliw: x[d->Rd] = (ulong)(int)((uint)x[d->Rs1] >> d->Imm); pc += d->Len; break;
                case Op.Sraiw: x[d->Rd] = (ulong)((int)x[d->Rs1] >> d->Imm); pc += d->Len; break;
                case Op.Addw: x[d->Rd] = (ulong)(int)(x[d->Rs1] + x[d->Rs2]); pc += d->Len; break;
                case Op.Subw: x[d->Rd] = (ulong)(int)(x[d->Rs1] - x[d->Rs2]); pc += d->Len; break;
                case Op.Sllw: x[d->Rd] = (ulong)(int)((uint)x[d->Rs1] << (int)x[d->Rs2]); pc += d->Len; break;
                case Op.Srlw: x[d->Rd] = (ulong)(int)((uint)x[d->Rs1] >> (int)x[d->Rs2]); pc += d->Len; break;
                case Op.Sraw: x[d->Rd] = (ulong)((int)x[d->Rs1] >> (int)x[d->Rs2]); pc += d->Len; break;

                case Op.Mul: x[d->Rd] = x[d->Rs1] * x[d->Rs2]; pc += d->Len; break;
                case Op.Mulh: x[d->Rd] = Alu.Mulh(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Mulhsu: x[d->Rd] = Alu.Mulhsu(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Mulhu: x[d->Rd] = Alu.Mulhu(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Div: x[d->Rd] = Alu.Div(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Divu: x[d->Rd] = Alu.Divu(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Rem: x[d->Rd] = Alu.Rem(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Remu: x[d->Rd] = Alu.Remu(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Mulw: x[d->Rd] = (ulong)(int)(x[d->Rs1] * x[d->Rs2]); pc += d->Len; break;
                case Op.Divw: x[d->Rd] = Alu.Divw(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Divuw: x[d->Rd] = Alu.Divuw(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Remw: x[d->Rd] = Alu.Remw(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;
                case Op.Remuw: x[d->Rd] = Alu.Remuw(x[d->Rs1], x[d->Rs2]); pc += d->Len; break;

                case Op.Fence: pc += d->Len; break;
                case Op.FenceI:
                    FlushDecodedCode();
                    pc += d->Len;
                    pageVa = NoPage(pc);
                    break;
                case Op.Ecall: Fault(TrapCause.Ecall); goto fault;
                case Op.Ebreak: Fault(TrapCause.Breakpoint); goto fault;
                case Op.Csr: if (!ExecCsr(d, RetiredBefore(n))) goto fault; pc += d->Len; break;
                case Op.Atomic: if (!ExecAtomic(d)) goto fault; pc += d->Len; break;

                case Op.Flw: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out uint v)) goto fault; f[d->Rd] = NanBox.Box(v); pc += d->Len; break; }
                case Op.Fld: { if (!Load(x[d->Rs1] + (ulong)(long)d->Imm, out ulong v)) goto fault; f[d->Rd] = v; pc += d->Len; break; }
                case Op.Fsw: if (!Store(x[d->Rs1] + (ulong)(long)d->Imm, (uint)f[d->Rs2])) goto fault; pc += d->Len; break;
                case Op.Fsd: if (!Store(x[d->Rs1] + (ulong)(long)d->Imm, f[d->Rs2])) goto fault; pc += d->Len; break;
                case Op.Fp: if (!ExecFp(d)) goto fault; pc += d->Len; break;

                default: Fault(TrapCause.IllegalInstruction, instruction: d->Raw); goto fault;
            }
            x[0] = 0;
            continue;

        fault:
            n--;
        fetchFault:
            trap = new Trap(_faultCause, pc, _faultAddress, _faultAccess, _faultInstruction);
            break;
        }
        x[0] = 0;
        r->Pc = pc;
        _retired += (ulong)n;
        return trap;
    }
}
